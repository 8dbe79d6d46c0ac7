// The dependency file that `nubpfc -MD` writes: one Make rule naming the
// files the compilation read, which Make includes and Ninja reads with
// `deps = gcc`, such as
//
//   probe.bpf.o: probe.nu helpers.nu /sys/kernel/btf/vmlinux
//
// with each input on a continuation line of its own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nubpf::compiler {

// Escapes `path` for a Make rule: a space or `#` gets a backslash and `$`
// is doubled, as GCC writes them and as Ninja's depfile parser reads them.
std::string EscapeMakePath(std::string_view path);

// Returns the rule `target: input...`, one input per continuation line.
// With `phony_inputs` (GCC's -MP), an empty rule follows for each input but
// the first, the probe file, so that Make does not stop when a module is
// deleted or renamed but builds the target again.
std::string FormatDependencyFile(const std::string& target,
                                 const std::vector<std::string>& inputs,
                                 bool phony_inputs = false);

}  // namespace nubpf::compiler
