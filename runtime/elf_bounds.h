// Checks that an ELF64 file contains every byte its headers point to, before
// libelf reads it. libelf reads a cut file without complaint and returns
// fewer sections, so a file cut inside its section headers or inside
// `.nubpf` would otherwise look like an object without metadata.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nubpf::runtime {

// Returns why `bytes`, which start with the ELF magic, are a cut file: the
// part that ends past the end of the file (the ELF header, the section
// header table, or a section by name) and both sizes. Returns nullopt when
// every part lies within the file. Only 64-bit little-endian files are
// checked; the ELF header checks report the others.
std::optional<std::string> FindTruncation(std::string_view bytes);

}  // namespace nubpf::runtime
