// Reads an object into memory and checks it with libelf before libbpf
// opens it, because libbpf reports a missing file or a non-BPF ELF with
// messages that do not say what is wrong.
#pragma once

#include <optional>
#include <string>

#include "runtime/error.h"

struct bpf_object;

namespace nubpf::runtime {

// The bytes of an object and the name that errors give it: the path of a
// file, or the name an application chose for an object it embeds.
struct ObjectSource {
  std::string name;
  std::string bytes;
};

struct ObjectFileInfo {
  // The raw contents of the `.nubpf` section, trailing NUL bytes removed;
  // nullopt when the object has no such section.
  std::optional<std::string> nubpf_section;
};

// Reads the file at `path`. The error names the path, what it is instead
// (missing, unreadable, a directory) and what to do.
ErrorOr<ObjectSource> ReadObjectFile(const std::string& path);

// Checks that `source` is a 64-bit little-endian ELF file for EM_BPF and
// reads its `.nubpf` section. The error names the source, what it is
// instead (empty, cut short, not ELF, another machine) and what to do.
ErrorOr<ObjectFileInfo> InspectObject(const ObjectSource& source);

// ReadObjectFile(), then InspectObject().
ErrorOr<ObjectFileInfo> InspectObjectFile(const std::string& path);

// Opens `source` with libbpf, under the name libbpf gives a file: the
// source's base name up to its first dot, which prefixes the names of the
// `.data` and `.rodata` maps. A non-empty `btf_custom_path` gives the
// kernel types for CO-RE relocations in place of the running kernel's.
// libbpf may keep pointers into `source.bytes`, which must outlive the
// object. Returns null with errno set when libbpf refuses it.
bpf_object* OpenBpfObject(const ObjectSource& source, const std::string& btf_custom_path = "");

}  // namespace nubpf::runtime
