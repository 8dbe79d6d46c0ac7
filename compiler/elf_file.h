// An executable or shared library on disk, read through its ELF headers, for
// resolving uprobe and USDT targets at compile time. Only ELF64
// little-endian files are read, which covers x86-64 and the other 64-bit
// targets of BPF tracing. A 32-bit or big-endian file is rejected.
#pragma once

#include <elf.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nubpf::compiler {

struct ElfSection {
  std::string name;  // such as `.dynsym`; empty when the file names none
  Elf64_Shdr header;
};

// An open ELF file whose header, program header table and section header
// table have been checked against the file's size. Sections are read on
// request, so opening a large binary reads only its headers.
class ElfFile {
 public:
  // Opens `path` and checks its headers. Returns nullptr with `error` set
  // when the file is missing or unreadable, or is not an ELF64
  // little-endian file. It also fails for a file that is not an executable
  // or a shared library (ET_EXEC or ET_DYN), and for a header table or
  // section that ends past the end of the file.
  static std::unique_ptr<ElfFile> Open(const std::string& path, std::string* error);

  ~ElfFile();
  ElfFile(const ElfFile&) = delete;
  ElfFile& operator=(const ElfFile&) = delete;

  const std::string& path() const { return path_; }
  uint16_t machine() const { return machine_; }  // e_machine, such as EM_X86_64
  const std::vector<ElfSection>& sections() const { return sections_; }

  // Returns the first section named `name`, or nullptr.
  const ElfSection* FindSection(std::string_view name) const;

  // Reads the bytes of `section` into `bytes`; a SHT_NOBITS section has
  // none. Returns false with `error` set when the read fails.
  bool ReadSection(const ElfSection& section, std::string* bytes,
                   std::string* error) const;

  // Returns where `address` lies in the file: address - p_vaddr + p_offset
  // of the PT_LOAD segment whose file bytes contain it. Returns nullopt for
  // an address outside every such segment, or in the zero-filled tail
  // (p_memsz beyond p_filesz) that the loader does not read from the file.
  //
  // Example: with `LOAD offset 0x2f000 vaddr 0x2f000 filesz 0xc0b9d`, the
  // address 0xc6c20 lies at file offset 0xc6c20. With `LOAD offset
  // 0x128af0 vaddr 0x129af0`, the address 0x12a000 lies at 0x129000.
  std::optional<uint64_t> FileOffsetOf(uint64_t address) const;

 private:
  ElfFile() = default;
  bool ReadHeaders(std::string* error);
  bool ReadLoadSegments(const Elf64_Ehdr& header, uint64_t count, std::string* error);
  bool ReadSectionHeaders(const Elf64_Ehdr& header, uint64_t count, std::string* error);
  bool ReadSectionNames(uint64_t names_index, std::string* error);
  bool ReadBytes(uint64_t offset, uint64_t size, void* out) const;

  std::string path_;
  int fd_ = -1;
  uint64_t file_size_ = 0;
  uint16_t machine_ = EM_NONE;
  std::vector<ElfSection> sections_;
  std::vector<Elf64_Phdr> load_segments_;  // the PT_LOAD entries, in file order
};

}  // namespace nubpf::compiler
