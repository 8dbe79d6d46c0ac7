// Checks an object file with libelf before libbpf opens it, because libbpf
// reports a missing file or a non-BPF ELF with messages that do not say
// what is wrong.
#pragma once

#include <optional>
#include <string>

#include "runtime/error.h"

namespace nubpf::runtime {

struct ObjectFileInfo {
  // The raw contents of the `.nubpf` section, trailing NUL bytes removed;
  // nullopt when the object has no such section.
  std::optional<std::string> nubpf_section;
};

// Checks that `path` is a readable 64-bit little-endian ELF file for
// EM_BPF and reads its `.nubpf` section. The error names the path, what
// the file is instead (missing, not ELF, another machine) and what to do.
ErrorOr<ObjectFileInfo> InspectObjectFile(const std::string& path);

}  // namespace nubpf::runtime
