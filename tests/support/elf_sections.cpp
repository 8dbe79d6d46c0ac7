#include "tests/support/elf_sections.h"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <iterator>

namespace nubpf::testing {

std::map<std::string, std::string> ReadElfSections(const std::string& path) {
  std::map<std::string, std::string> sections;
  std::ifstream file(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)),
                    std::istreambuf_iterator<char>());

  Elf64_Ehdr header;
  if (bytes.size() < sizeof(header) ||
      bytes.compare(0, SELFMAG, ELFMAG) != 0 ||
      bytes[EI_CLASS] != ELFCLASS64) {
    return sections;
  }
  std::memcpy(&header, bytes.data(), sizeof(header));

  // Reads section header `index`; false when it lies outside the file.
  auto read_header = [&](size_t index, Elf64_Shdr* section) {
    size_t at = header.e_shoff + index * sizeof(Elf64_Shdr);
    if (at + sizeof(Elf64_Shdr) > bytes.size()) return false;
    std::memcpy(section, bytes.data() + at, sizeof(Elf64_Shdr));
    return section->sh_type == SHT_NOBITS ||
           section->sh_offset + section->sh_size <= bytes.size();
  };

  Elf64_Shdr names;
  if (!read_header(header.e_shstrndx, &names)) return sections;
  for (size_t index = 1; index < header.e_shnum; ++index) {
    Elf64_Shdr section;
    if (!read_header(index, &section) || section.sh_name >= names.sh_size) {
      return {};
    }
    std::string name = bytes.c_str() + names.sh_offset + section.sh_name;
    sections[name] = section.sh_type == SHT_NOBITS
                         ? std::string()
                         : bytes.substr(section.sh_offset, section.sh_size);
  }
  return sections;
}

}  // namespace nubpf::testing
