// The `.nubpf` metadata section, which describes how a loader names, decodes
// and prints what the programs send. docs/object-format.md has the format.
#pragma once

#include <string>

#include "compiler/mir.h"
#include "frontend/source.h"

namespace nubpf::backend {

inline constexpr const char* kMetadataSection = ".nubpf";
// Version 4 added the time to the event record header, which moved every
// field 8 bytes on. Version 5 added the VALUE-SIZE of a `store` line, as
// strings made it other than 8. Version 6 moved the counts of lost events
// and dropped inserts from per-CPU array maps into `.bss`, where an older
// loader would not find them.
inline constexpr int kMetadataVersion = 6;

// Returns the metadata spelling of a value's type: `u32`, `bool`,
// `string`, `kstack`, and for an i64 with a unit, which the loader shows
// as Nushell does, `duration` or `filesize`.
std::string MetadataTypeName(const mir::Type& type, mir::Unit unit = mir::Unit::kNone);

// Returns the section's text for `module`, checked from `source`, whose
// path the object gives as `path`.
std::string BuildMetadata(const mir::Module& module, const std::string& path,
                          const frontend::SourceFile& source);

}  // namespace nubpf::backend
