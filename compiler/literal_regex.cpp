#include "compiler/literal_regex.h"

#include <cstring>

namespace nubpf::compiler {

// The characters with a meaning of their own in Rust's regex syntax, which
// Nushell's `=~` uses. Each stands for itself when escaped with `\`.
static constexpr char kMetacharacters[] = ".+*?()|[]{}^$\\#&-~";

static bool IsMetacharacter(char c) {
  return c != '\0' && std::strchr(kMetacharacters, c) != nullptr;
}

std::optional<LiteralRegex> ParseLiteralRegex(const std::string& pattern,
                                              std::string* unsupported) {
  LiteralRegex regex;
  size_t begin = 0;
  size_t end = pattern.size();
  if (pattern.compare(0, 4, "(?i)") == 0) {
    regex.ignore_case = true;
    begin = 4;
  }
  bool starts = begin < end && pattern[begin] == '^';
  if (starts) ++begin;

  // A `$` at the end anchors the match, unless a `\` escapes it: count the
  // backslashes before it.
  bool ends = false;
  if (end > begin && pattern[end - 1] == '$') {
    size_t backslashes = 0;
    while (end - 1 - backslashes > begin && pattern[end - 2 - backslashes] == '\\') {
      ++backslashes;
    }
    ends = backslashes % 2 == 0;
    if (ends) --end;
  }

  for (size_t i = begin; i < end; ++i) {
    char c = pattern[i];
    if (c == '\\') {
      char next = i + 1 < end ? pattern[i + 1] : '\0';
      if (next == 'n' || next == 't') {
        regex.text += next == 'n' ? '\n' : '\t';
      } else if (IsMetacharacter(next) || next == ' ' || next == '/') {
        regex.text += next;
      } else {
        *unsupported = next == '\0' ? "`\\` at the end"
                                    : "`\\" + std::string(1, next) + "`";
        return std::nullopt;
      }
      ++i;
      continue;
    }
    // `#`, `&`, `-` and `~` are literal outside a class and in the default
    // mode, so only the others need an escape.
    if (IsMetacharacter(c) && c != '#' && c != '&' && c != '-' && c != '~') {
      *unsupported = "`" + std::string(1, c) + "`";
      return std::nullopt;
    }
    regex.text += c;
  }

  regex.search = starts && ends ? LiteralSearch::kEquals
                 : starts       ? LiteralSearch::kStartsWith
                 : ends         ? LiteralSearch::kEndsWith
                                : LiteralSearch::kContains;
  return regex;
}

static std::string LowerAscii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

bool MatchesLiteralRegex(const LiteralRegex& regex, const std::string& input) {
  std::string text = regex.ignore_case ? LowerAscii(input) : input;
  std::string needle = regex.ignore_case ? LowerAscii(regex.text) : regex.text;
  switch (regex.search) {
    case LiteralSearch::kContains:
      return text.find(needle) != std::string::npos;
    case LiteralSearch::kStartsWith:
      return text.compare(0, needle.size(), needle) == 0;
    case LiteralSearch::kEndsWith:
      return text.size() >= needle.size() &&
             text.compare(text.size() - needle.size(), needle.size(), needle) == 0;
    case LiteralSearch::kEquals:
      return text == needle;
  }
  return false;
}

}  // namespace nubpf::compiler
