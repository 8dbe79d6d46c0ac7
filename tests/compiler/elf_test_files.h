// Files for the ELF symbol and USDT note tests. Small ELF files are written
// byte by byte for the cases a compiler cannot produce, such as corrupt
// headers or a relocated `.stapsdt.base`. The builds of
// tests/programs/uprobe_target.c are read with binutils' readelf and nm,
// so that the tests compare against a reader other than the one under test.
#pragma once

#include <elf.h>

#include <cstdint>
#include <string>
#include <vector>

namespace nubpf::testing {

// One section of a hand-written ELF file, placed at `offset` in the file.
struct TestSection {
  std::string name;
  uint32_t type = SHT_PROGBITS;
  uint64_t flags = 0;
  uint64_t address = 0;
  uint64_t offset = 0;
  std::string data;  // for SHT_NOBITS, only its size counts
  uint64_t alignment = 1;
  uint32_t link = 0;  // a section index, counting the null section as 0
  uint64_t entry_size = 0;
};

// A hand-written ELF file. WriteTestElf puts the ELF header at 0, the
// program headers right after it, each section's data at its offset, and
// then `.shstrtab` and the section headers. The identification bytes and
// header fields are written as given, even when they are invalid.
struct TestElf {
  unsigned char elf_class = ELFCLASS64;
  unsigned char byte_order = ELFDATA2LSB;
  uint16_t type = ET_DYN;
  uint16_t machine = EM_X86_64;
  std::vector<Elf64_Phdr> segments;
  std::vector<TestSection> sections;  // after the null section
};

// Writes `elf` to `path`.
void WriteTestElf(const TestElf& elf, const std::string& path);

// Returns a valid file with one executable PT_LOAD segment: 0x100 bytes of
// `.text` at file offset 0x1000 and address 0x401000.
TestElf MinimalTestElf();

// One symbol for SymbolTableBytes.
struct TestSymbol {
  std::string name;
  uint64_t address = 0;
  uint64_t size = 0;
  unsigned char type = STT_FUNC;
  uint16_t section_index = 1;  // 1 is `.text` in MinimalTestElf
};

// Returns the bytes of a symbol table with the reserved null symbol
// followed by `symbols`, and stores their names' string table in `names`.
std::string SymbolTableBytes(const std::vector<TestSymbol>& symbols, std::string* names);

// Returns one `.note.stapsdt` note, padded to `alignment` bytes.
std::string StapsdtNote(uint64_t pc, uint64_t base, uint64_t semaphore,
                        const std::string& provider, const std::string& name,
                        const std::string& arguments, uint64_t alignment = 4);

// Returns `size` bytes of `path` from `offset`, or fewer at its end.
std::string ReadFileBytes(const std::string& path, uint64_t offset, uint64_t size);

// Returns `bytes` in lowercase hex, two digits a byte.
std::string HexBytes(const std::string& bytes);

// Runs `argv` and returns its stdout, or fails the current test and
// returns "" when it exits with an error.
std::string RunTool(const std::vector<std::string>& argv);

struct ReadelfSection {
  std::string name;
  uint64_t address = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
};

struct ReadelfSegment {
  uint64_t offset = 0;
  uint64_t address = 0;
  uint64_t file_size = 0;
};

struct NmSymbol {
  std::string name;  // with `@VERSION` or `@@VERSION` for versioned symbols
  uint64_t address = 0;
  uint64_t size = 0;
  char type = '?';  // nm's letter: T for a global function, t for a local one
};

struct ReadelfNote {
  std::string provider;
  std::string name;
  uint64_t pc = 0;
  uint64_t base = 0;
  uint64_t semaphore = 0;
  std::string arguments;
};

// Sections as `readelf -SW` prints them.
std::vector<ReadelfSection> ReadelfSections(const std::string& path);

// PT_LOAD segments as `readelf -lW` prints them.
std::vector<ReadelfSegment> ReadelfLoadSegments(const std::string& path);

// Defined symbols with sizes as `nm -S --defined-only` prints them, from
// `.dynsym` with its versions when `dynamic` is set, else from `.symtab`.
std::vector<NmSymbol> NmSymbols(const std::string& path, bool dynamic);

// USDT notes as `readelf -nW` prints them, in the file's order.
std::vector<ReadelfNote> ReadelfStapsdtNotes(const std::string& path);

// Returns the file offset of `address` computed from readelf's PT_LOAD
// segments, or fails the current test and returns 0 when no segment
// contains it.
uint64_t ReadelfFileOffset(const std::string& path, uint64_t address);

}  // namespace nubpf::testing
