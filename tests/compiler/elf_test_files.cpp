#include "tests/compiler/elf_test_files.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include "tests/support/subprocess.h"

namespace nubpf::testing {

static void PutBytes(std::string* file, uint64_t offset, const void* bytes, size_t size) {
  if (file->size() < offset + size) file->resize(offset + size, '\0');
  std::memcpy(file->data() + offset, bytes, size);
}

static uint64_t AlignUp(uint64_t value, uint64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

void WriteTestElf(const TestElf& elf, const std::string& path) {
  std::string file;

  // Section data, and the names table after the last byte of it.
  std::string names(1, '\0');
  std::vector<uint32_t> name_offsets;
  for (const TestSection& section : elf.sections) {
    if (section.type != SHT_NOBITS) {
      PutBytes(&file, section.offset, section.data.data(), section.data.size());
    }
    name_offsets.push_back(static_cast<uint32_t>(names.size()));
    names += section.name + '\0';
  }
  uint32_t names_name = static_cast<uint32_t>(names.size());
  names += ".shstrtab";
  names += '\0';
  uint64_t names_offset = std::max<uint64_t>(file.size(), 0x40 + 0x38 * elf.segments.size());
  PutBytes(&file, names_offset, names.data(), names.size());

  // Section headers: the null section, the given ones, then `.shstrtab`.
  std::vector<Elf64_Shdr> headers(1, Elf64_Shdr{});
  for (size_t index = 0; index < elf.sections.size(); ++index) {
    const TestSection& section = elf.sections[index];
    Elf64_Shdr header{};
    header.sh_name = name_offsets[index];
    header.sh_type = section.type;
    header.sh_flags = section.flags;
    header.sh_addr = section.address;
    header.sh_offset = section.offset;
    header.sh_size = section.data.size();
    header.sh_link = section.link;
    header.sh_addralign = section.alignment;
    header.sh_entsize = section.entry_size;
    headers.push_back(header);
  }
  Elf64_Shdr names_header{};
  names_header.sh_name = names_name;
  names_header.sh_type = SHT_STRTAB;
  names_header.sh_offset = names_offset;
  names_header.sh_size = names.size();
  names_header.sh_addralign = 1;
  headers.push_back(names_header);
  uint64_t headers_offset = AlignUp(file.size(), 8);
  PutBytes(&file, headers_offset, headers.data(), headers.size() * sizeof(Elf64_Shdr));

  // The ELF header and the program headers.
  Elf64_Ehdr header{};
  std::memcpy(header.e_ident, ELFMAG, SELFMAG);
  header.e_ident[EI_CLASS] = elf.elf_class;
  header.e_ident[EI_DATA] = elf.byte_order;
  header.e_ident[EI_VERSION] = EV_CURRENT;
  header.e_type = elf.type;
  header.e_machine = elf.machine;
  header.e_version = EV_CURRENT;
  header.e_phoff = elf.segments.empty() ? 0 : sizeof(Elf64_Ehdr);
  header.e_shoff = headers_offset;
  header.e_ehsize = sizeof(Elf64_Ehdr);
  header.e_phentsize = sizeof(Elf64_Phdr);
  header.e_phnum = static_cast<uint16_t>(elf.segments.size());
  header.e_shentsize = sizeof(Elf64_Shdr);
  header.e_shnum = static_cast<uint16_t>(headers.size());
  header.e_shstrndx = static_cast<uint16_t>(headers.size() - 1);
  PutBytes(&file, 0, &header, sizeof(header));
  if (!elf.segments.empty()) {
    PutBytes(&file, sizeof(header), elf.segments.data(),
             elf.segments.size() * sizeof(Elf64_Phdr));
  }

  std::ofstream(path, std::ios::binary | std::ios::trunc) << file;
}

TestElf MinimalTestElf() {
  TestElf elf;
  Elf64_Phdr text{};
  text.p_type = PT_LOAD;
  text.p_flags = PF_R | PF_X;
  text.p_offset = 0x1000;
  text.p_vaddr = 0x401000;
  text.p_paddr = 0x401000;
  text.p_filesz = 0x100;
  text.p_memsz = 0x100;
  text.p_align = 0x1000;
  elf.segments.push_back(text);

  TestSection section;
  section.name = ".text";
  section.flags = SHF_ALLOC | SHF_EXECINSTR;
  section.address = 0x401000;
  section.offset = 0x1000;
  section.data = std::string(0x100, '\x90');
  section.alignment = 16;
  elf.sections.push_back(section);
  return elf;
}

std::string SymbolTableBytes(const std::vector<TestSymbol>& symbols, std::string* names) {
  *names = std::string(1, '\0');
  std::string table(sizeof(Elf64_Sym), '\0');  // the reserved null symbol
  for (const TestSymbol& symbol : symbols) {
    Elf64_Sym entry{};
    entry.st_name = static_cast<uint32_t>(names->size());
    entry.st_info = ELF64_ST_INFO(STB_GLOBAL, symbol.type);
    entry.st_shndx = symbol.section_index;
    entry.st_value = symbol.address;
    entry.st_size = symbol.size;
    *names += symbol.name + '\0';
    table.append(reinterpret_cast<const char*>(&entry), sizeof(entry));
  }
  return table;
}

std::string StapsdtNote(uint64_t pc, uint64_t base, uint64_t semaphore,
                        const std::string& provider, const std::string& name,
                        const std::string& arguments, uint64_t alignment) {
  std::string descriptor;
  for (uint64_t address : {pc, base, semaphore}) {
    descriptor.append(reinterpret_cast<const char*>(&address), sizeof(address));
  }
  descriptor += provider + '\0' + name + '\0' + arguments + '\0';

  const std::string owner("stapsdt\0", 8);
  uint32_t header[3] = {static_cast<uint32_t>(owner.size()),
                        static_cast<uint32_t>(descriptor.size()), 3};
  std::string note(reinterpret_cast<const char*>(header), sizeof(header));
  note += owner;
  note.resize(AlignUp(note.size(), alignment), '\0');
  note += descriptor;
  note.resize(AlignUp(note.size(), alignment), '\0');
  return note;
}

std::string ReadFileBytes(const std::string& path, uint64_t offset, uint64_t size) {
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  bytes.resize(static_cast<size_t>(in.gcount()));
  return bytes;
}

std::string HexBytes(const std::string& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : bytes) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0xf];
  }
  return hex;
}

std::string RunTool(const std::vector<std::string>& argv) {
  RunResult result = RunToExit(argv);
  EXPECT_EQ(result.exit_code, 0) << argv[0] << " failed: " << result.err;
  return result.exit_code == 0 ? result.out : "";
}

static std::vector<std::string> Words(const std::string& line) {
  std::istringstream stream(line);
  std::vector<std::string> words;
  std::string word;
  while (stream >> word) words.push_back(word);
  return words;
}

static uint64_t Hex(const std::string& text) { return std::stoull(text, nullptr, 16); }

// Lines such as
//   [16] .text  PROGBITS  0000000000001040 001040 000195 00  AX  0   0 16
std::vector<ReadelfSection> ReadelfSections(const std::string& path) {
  std::vector<ReadelfSection> sections;
  std::istringstream lines(RunTool({NUBPF_READELF, "-SW", path}));
  std::string line;
  while (std::getline(lines, line)) {
    size_t bracket = line.find(']');
    if (line.find('[') == std::string::npos || bracket == std::string::npos) continue;
    std::vector<std::string> words = Words(line.substr(bracket + 1));
    if (words.size() < 5 || words[0] == "Name" || words[0] == "NULL") continue;
    sections.push_back(ReadelfSection{words[0], Hex(words[2]), Hex(words[3]), Hex(words[4])});
  }
  return sections;
}

// Lines such as
//   LOAD  0x001000 0x0000000000001000 0x0000000000001000 0x0003bd 0x0003bd R E 0x1000
std::vector<ReadelfSegment> ReadelfLoadSegments(const std::string& path) {
  std::vector<ReadelfSegment> segments;
  std::istringstream lines(RunTool({NUBPF_READELF, "-lW", path}));
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> words = Words(line);
    if (words.size() < 6 || words[0] != "LOAD") continue;
    segments.push_back(ReadelfSegment{Hex(words[1]), Hex(words[2]), Hex(words[4])});
  }
  return segments;
}

// Lines such as `0000000000001139 000000000000000b T nubpf_test_add`; a
// symbol without a size has no second column.
std::vector<NmSymbol> NmSymbols(const std::string& path, bool dynamic) {
  std::vector<std::string> argv = {NUBPF_NM, "-S", "--defined-only"};
  if (dynamic) {
    argv.push_back("-D");
    argv.push_back("--with-symbol-versions");
  }
  argv.push_back(path);

  std::vector<NmSymbol> symbols;
  std::istringstream lines(RunTool(argv));
  std::string line;
  while (std::getline(lines, line)) {
    std::vector<std::string> words = Words(line);
    if (words.size() == 4) {
      symbols.push_back(NmSymbol{words[3], Hex(words[0]), Hex(words[1]), words[2][0]});
    } else if (words.size() == 3) {
      symbols.push_back(NmSymbol{words[2], Hex(words[0]), 0, words[1][0]});
    }
  }
  return symbols;
}

// Blocks such as
//   stapsdt  0x00000039  NT_STAPSDT (SystemTap probe descriptors)  Provider: nubpf_test
//     Name: with_semaphore
//     Location: 0x000000000000138d, Base: 0x00000000000020ae, Semaphore: 0x000000000000403c
//     Arguments: 8@%rdx
std::vector<ReadelfNote> ReadelfStapsdtNotes(const std::string& path) {
  std::vector<ReadelfNote> notes;
  std::istringstream lines(RunTool({NUBPF_READELF, "-nW", path}));
  std::string line;
  auto value_after = [&line](const std::string& label) {
    size_t at = line.find(label);
    if (at == std::string::npos) return std::string();
    std::string value = line.substr(at + label.size());
    size_t end = value.find_first_of(", ");
    return end == std::string::npos ? value : value.substr(0, end);
  };
  while (std::getline(lines, line)) {
    if (line.find("Provider: ") != std::string::npos) {
      notes.emplace_back();
      notes.back().provider = value_after("Provider: ");
    } else if (notes.empty()) {
      continue;
    } else if (line.find("Name: ") != std::string::npos) {
      notes.back().name = value_after("Name: ");
    } else if (line.find("Location: ") != std::string::npos) {
      notes.back().pc = Hex(value_after("Location: "));
      notes.back().base = Hex(value_after("Base: "));
      notes.back().semaphore = Hex(value_after("Semaphore: "));
    } else if (line.find("Arguments: ") != std::string::npos) {
      std::string arguments = line.substr(line.find("Arguments: ") + 11);
      while (!arguments.empty() && arguments.back() == ' ') arguments.pop_back();
      notes.back().arguments = arguments;
    }
  }
  return notes;
}

uint64_t ReadelfFileOffset(const std::string& path, uint64_t address) {
  for (const ReadelfSegment& segment : ReadelfLoadSegments(path)) {
    if (address >= segment.address && address < segment.address + segment.file_size) {
      return address - segment.address + segment.offset;
    }
  }
  ADD_FAILURE() << "readelf shows no PT_LOAD segment of " << path << " containing 0x"
                << std::hex << address;
  return 0;
}

}  // namespace nubpf::testing
