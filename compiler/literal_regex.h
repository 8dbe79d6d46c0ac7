// Reads a regular expression that is a plain text search, so that `=~` and
// `!~` can compile to the string searches a probe has.
//
//   abc        contains "abc"
//   ^abc       starts with "abc"
//   abc$       ends with "abc"
//   ^abc$      equals "abc"
//   (?i)a\.c   contains "a.c", ignoring ASCII case
#pragma once

#include <optional>
#include <string>

namespace nubpf::compiler {

enum class LiteralSearch { kContains, kStartsWith, kEndsWith, kEquals };

struct LiteralRegex {
  LiteralSearch search = LiteralSearch::kContains;
  std::string text;  // the bytes searched for, escapes resolved
  bool ignore_case = false;
};

// Returns the search `pattern` means, or nullopt with the first construct
// that is more than plain text in `unsupported`, such as "`*`".
std::optional<LiteralRegex> ParseLiteralRegex(const std::string& pattern,
                                              std::string* unsupported);

// True when `text` matches `regex`, as the probe computes it.
bool MatchesLiteralRegex(const LiteralRegex& regex, const std::string& text);

}  // namespace nubpf::compiler
