// Reads the sections of a 64-bit little-endian ELF file, so that the e2e
// tests can check what nubpfc wrote without libbpf's view of it.
#pragma once

#include <map>
#include <string>

namespace nubpf::testing {

// Returns the contents of every section of the ELF64 file at `path` by
// name, or an empty map when the file cannot be read or is not ELF64. Of
// sections that share a name, the last one wins.
std::map<std::string, std::string> ReadElfSections(const std::string& path);

}  // namespace nubpf::testing
