#include "compiler/glob.h"

namespace nubpf::compiler {

bool HasWildcard(std::string_view pattern) {
  return pattern.find_first_of("*?") != std::string_view::npos;
}

// Matches left to right and remembers only the last `*` seen. When a later
// character fails, that `*` takes one more character of the text and the
// match resumes after it. Earlier stars never need to retry, because the
// last one can absorb anything they would, so the cost is at most
// pattern length times text length. A `*` in the pattern is always a
// wildcard, even where the text has a `*` too.
//
// Example: `a*b?` on "axbyb". `a` matches, `*` starts empty, and `b` fails
// on 'x', so `*` takes "x". Then `b` and `?` match "by", but the pattern
// ends with one 'b' of the text left over. So `*` grows until `b` matches
// the last 'b', and `?` finds no character left: no match.
bool GlobMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0;
  size_t t = 0;
  size_t star = std::string_view::npos;  // pattern index of the last `*`
  size_t star_text = 0;                  // text index that `*` has reached

  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
      continue;
    }
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
      continue;
    }
    if (star == std::string_view::npos) return false;
    p = star + 1;
    t = ++star_text;
  }

  // The text is used up, so only stars may remain in the pattern.
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace nubpf::compiler
