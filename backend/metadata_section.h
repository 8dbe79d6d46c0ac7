// The `.nubpf` metadata section that tells a loader how to name, decode and
// print what the programs send. The format is in docs/object-format.md.
#pragma once

#include <string>

#include "compiler/mir.h"
#include "frontend/source.h"

namespace nubpf::backend {

inline constexpr const char* kMetadataSection = ".nubpf";
inline constexpr int kMetadataVersion = 1;

// Returns the section's text for `module`.
std::string BuildMetadata(const mir::Module& module,
                          const frontend::SourceFile& source);

}  // namespace nubpf::backend
