#include "runtime/elf_symbol_table.h"

#include <cxxabi.h>
#include <fcntl.h>
#include <fmt/core.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace nubpf::runtime {
namespace {

// Closes the file and ends the libelf handle when the read ends.
struct ElfFile {
  int fd = -1;
  Elf* elf = nullptr;
  ~ElfFile() {
    if (elf != nullptr) elf_end(elf);
    if (fd >= 0) close(fd);
  }
};

Error ReadError(const std::string& path, const std::string& cause) {
  Error error;
  error.message = fmt::format("cannot read the symbols of `{}`: {}", path, cause);
  return error;
}

// Returns the demangled form of a C++ name, or `name` unchanged.
std::string Demangle(const char* name) {
  if (std::strncmp(name, "_Z", 2) != 0) return name;
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> demangled(
      abi::__cxa_demangle(name, nullptr, nullptr, &status), &std::free);
  return status == 0 && demangled ? std::string(demangled.get()) : std::string(name);
}

// Returns the section of `type` (SHT_SYMTAB or SHT_DYNSYM), or null.
Elf_Scn* FindSection(Elf* elf, Elf64_Word type, GElf_Shdr* header) {
  Elf_Scn* section = nullptr;
  while ((section = elf_nextscn(elf, section)) != nullptr) {
    if (gelf_getshdr(section, header) != nullptr && header->sh_type == type) {
      return section;
    }
  }
  return nullptr;
}

}  // namespace

ErrorOr<ElfSymbolTable> ElfSymbolTable::Load(const std::string& path) {
  if (elf_version(EV_CURRENT) == EV_NONE) return ReadError(path, elf_errmsg(-1));
  ElfFile file;
  file.fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file.fd < 0) return ReadError(path, std::strerror(errno));
  file.elf = elf_begin(file.fd, ELF_C_READ_MMAP, nullptr);
  if (file.elf == nullptr || elf_kind(file.elf) != ELF_K_ELF) {
    return ReadError(path, "not an ELF file");
  }

  ElfSymbolTable table;
  size_t header_count = 0;
  if (elf_getphdrnum(file.elf, &header_count) != 0) return ReadError(path, elf_errmsg(-1));
  for (size_t i = 0; i < header_count; ++i) {
    GElf_Phdr header;
    if (gelf_getphdr(file.elf, static_cast<int>(i), &header) == nullptr) continue;
    if (header.p_type != PT_LOAD || (header.p_flags & PF_X) == 0) continue;
    table.segments_.push_back({header.p_offset, header.p_filesz, header.p_vaddr});
  }

  // Stripped files keep only `.dynsym`, the symbols other files link to.
  GElf_Shdr header;
  Elf_Scn* section = FindSection(file.elf, SHT_SYMTAB, &header);
  if (section == nullptr) section = FindSection(file.elf, SHT_DYNSYM, &header);
  Elf_Data* data = section != nullptr ? elf_getdata(section, nullptr) : nullptr;
  size_t count = data != nullptr && header.sh_entsize > 0 ? header.sh_size / header.sh_entsize : 0;
  for (size_t i = 0; i < count; ++i) {
    GElf_Sym symbol;
    if (gelf_getsym(data, static_cast<int>(i), &symbol) == nullptr) continue;
    int type = GELF_ST_TYPE(symbol.st_info);
    bool is_function = type == STT_FUNC || type == STT_GNU_IFUNC;
    if (!is_function || symbol.st_shndx == SHN_UNDEF || symbol.st_value == 0) continue;
    const char* name = elf_strptr(file.elf, header.sh_link, symbol.st_name);
    if (name == nullptr || name[0] == '\0') continue;
    table.functions_.push_back({symbol.st_value, symbol.st_size, Demangle(name)});
  }
  std::stable_sort(table.functions_.begin(), table.functions_.end(),
                   [](const Function& a, const Function& b) { return a.address < b.address; });
  return table;
}

std::optional<uint64_t> ElfSymbolTable::FileOffsetToAddress(uint64_t offset) const {
  for (const Segment& segment : segments_) {
    if (offset >= segment.file_offset && offset - segment.file_offset < segment.file_size) {
      return segment.address + (offset - segment.file_offset);
    }
  }
  return std::nullopt;
}

std::optional<ElfFunctionHit> ElfSymbolTable::FindFunction(uint64_t address) const {
  auto after = std::upper_bound(
      functions_.begin(), functions_.end(), address,
      [](uint64_t value, const Function& function) { return value < function.address; });
  if (after == functions_.begin()) return std::nullopt;
  auto function = std::prev(after);
  while (function != functions_.begin() && std::prev(function)->address == function->address) {
    --function;
  }
  uint64_t offset = address - function->address;
  // A symbol without a size, such as `_init` written in assembly, reaches
  // the next symbol; the last one has no known end.
  bool inside = function->size != 0 ? offset < function->size : after != functions_.end();
  if (!inside) return std::nullopt;
  return ElfFunctionHit{&function->name, offset};
}

}  // namespace nubpf::runtime
