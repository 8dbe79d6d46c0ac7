// Shell-style wildcard patterns for probe targets that name many functions
// or USDT probes at once, such as `uprobe:/bin/bash:read*`.
//
//   *   any run of characters, including none
//   ?   exactly one character
//
// Every other character, `[` and `\` included, matches only itself.
#pragma once

#include <string_view>

namespace nubpf::compiler {

// True when `pattern` contains `*` or `?`, so that it names a set of
// targets rather than one.
bool ContainsGlobWildcard(std::string_view pattern);

// True when all of `text` matches `pattern`.
bool MatchesGlob(std::string_view pattern, std::string_view text);

}  // namespace nubpf::compiler
