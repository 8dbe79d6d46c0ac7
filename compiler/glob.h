// Shell-style wildcards in probe targets, such as
// `tracepoint:syscalls:sys_enter_*` and `uprobe:/bin/bash:read*`.
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
bool HasWildcard(std::string_view pattern);

// True when `pattern` matches all of `text`.
bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace nubpf::compiler
