// Files that the runtime tests write: minimal ELF objects built byte by
// byte, so the tests need no BPF compiler.
#pragma once

#include <elf.h>
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <optional>
#include <string>

namespace nubpf::runtime::testing {

inline void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary);
  out << contents;
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

struct ElfOptions {
  uint16_t machine = EM_BPF;
  unsigned char elf_class = ELFCLASS64;
  unsigned char data = ELFDATA2LSB;
  // The `.nubpf` section's contents; no such section when nullopt.
  std::optional<std::string> nubpf_section;
};

// Returns a relocatable ELF64 file with a section name table and, when
// asked, a `.nubpf` section: enough for the header and section checks, but
// with no symbols or programs.
inline std::string BuildElf(const ElfOptions& options) {
  std::string names = std::string("\0.shstrtab\0.nubpf\0", 18);
  constexpr uint32_t kShstrtabName = 1;
  constexpr uint32_t kNubpfName = 11;

  std::string section_data = names;
  size_t names_offset = sizeof(Elf64_Ehdr);
  size_t nubpf_offset = names_offset + names.size();
  if (options.nubpf_section) {
    section_data += *options.nubpf_section;
  }
  size_t headers_offset =
      (sizeof(Elf64_Ehdr) + section_data.size() + 7) / 8 * 8;
  uint16_t section_count = options.nubpf_section ? 3 : 2;

  Elf64_Ehdr header;
  std::memset(&header, 0, sizeof(header));
  std::memcpy(header.e_ident, ELFMAG, SELFMAG);
  header.e_ident[EI_CLASS] = options.elf_class;
  header.e_ident[EI_DATA] = options.data;
  header.e_ident[EI_VERSION] = EV_CURRENT;
  header.e_type = ET_REL;
  // libelf converts the header from the file's byte order, so a
  // big-endian file must store e_machine big-endian.
  header.e_machine =
      options.data == ELFDATA2MSB
          ? static_cast<uint16_t>(__builtin_bswap16(options.machine))
          : options.machine;
  header.e_version = EV_CURRENT;
  header.e_shoff = headers_offset;
  header.e_ehsize = sizeof(Elf64_Ehdr);
  header.e_shentsize = sizeof(Elf64_Shdr);
  header.e_shnum = section_count;
  header.e_shstrndx = 1;

  Elf64_Shdr sections[3];
  std::memset(sections, 0, sizeof(sections));
  sections[1].sh_name = kShstrtabName;
  sections[1].sh_type = SHT_STRTAB;
  sections[1].sh_offset = names_offset;
  sections[1].sh_size = names.size();
  sections[1].sh_addralign = 1;
  if (options.nubpf_section) {
    sections[2].sh_name = kNubpfName;
    sections[2].sh_type = SHT_PROGBITS;
    sections[2].sh_flags = SHF_ALLOC;
    sections[2].sh_offset = nubpf_offset;
    sections[2].sh_size = options.nubpf_section->size();
    sections[2].sh_addralign = 1;
  }

  std::string file(reinterpret_cast<const char*>(&header), sizeof(header));
  file += section_data;
  file.resize(headers_offset, '\0');
  file.append(reinterpret_cast<const char*>(sections),
              sizeof(Elf64_Shdr) * section_count);
  return file;
}

}  // namespace nubpf::runtime::testing
