// Shell-style wildcards in probe targets: `*` matches any run of
// characters and `?` any one, as in `tracepoint:syscalls:sys_enter_*`.
#pragma once

#include <string_view>

namespace nubpf::compiler {

bool HasWildcard(std::string_view pattern);

// True when `pattern` matches all of `text`.
bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace nubpf::compiler
