#include "runtime/elf_bounds.h"

#include <elf.h>
#include <fmt/core.h>

#include <cstdint>
#include <cstring>
#include <limits>

namespace nubpf::runtime {
namespace {

// Copies a `T` from `offset` of `bytes`; false when it does not fit.
template <typename T>
bool ReadAt(std::string_view bytes, uint64_t offset, T* value) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) return false;
  std::memcpy(value, bytes.data() + offset, sizeof(T));
  return true;
}

// True when `size` bytes from `offset` lie within `bytes`.
bool Fits(std::string_view bytes, uint64_t offset, uint64_t size) {
  return offset <= bytes.size() && bytes.size() - offset >= size;
}

// Returns the name of a section from the section name table `names`, or
// `section INDEX` when the table or the name does not lie within the file.
std::string SectionName(std::string_view bytes, const Elf64_Shdr& names,
                        const Elf64_Shdr& section, size_t index) {
  std::string fallback = fmt::format("section {}", index);
  if (!Fits(bytes, names.sh_offset, names.sh_size) || section.sh_name >= names.sh_size) {
    return fallback;
  }
  std::string_view table = bytes.substr(names.sh_offset, names.sh_size);
  size_t end = table.find('\0', section.sh_name);
  if (end == std::string_view::npos) return fallback;
  return fmt::format("`{}`", table.substr(section.sh_name, end - section.sh_name));
}

// The section count and the index of the section name table, which an
// ELF file with many sections keeps in section 0 instead of the header.
struct SectionCounts {
  uint64_t count = 0;
  uint32_t names_index = 0;
};

SectionCounts CountSections(std::string_view bytes, const Elf64_Ehdr& header) {
  SectionCounts counts{header.e_shnum, header.e_shstrndx};
  Elf64_Shdr first{};
  if (!ReadAt(bytes, header.e_shoff, &first)) return counts;
  if (counts.count == 0) counts.count = first.sh_size;
  if (counts.names_index == SHN_XINDEX) counts.names_index = first.sh_link;
  return counts;
}

}  // namespace

std::optional<std::string> FindTruncation(std::string_view bytes) {
  // The class and byte order come first, in e_ident; a file cut before
  // them is cut inside the header whatever its class.
  Elf64_Ehdr header{};
  if (bytes.size() < EI_NIDENT || !ReadAt(bytes, 0, &header)) {
    bool other_kind = bytes.size() >= EI_NIDENT &&
                      (bytes[EI_CLASS] != ELFCLASS64 || bytes[EI_DATA] != ELFDATA2LSB);
    if (other_kind) return std::nullopt;
    return fmt::format("it ends inside the ELF header, after {} of the header's {} bytes",
                       bytes.size(), sizeof(Elf64_Ehdr));
  }
  if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB) {
    return std::nullopt;
  }
  if (header.e_shoff == 0 || header.e_shentsize != sizeof(Elf64_Shdr)) return std::nullopt;

  // The section header table, which LLVM writes at the end of the file,
  // so that most cuts land in it.
  SectionCounts counts = CountSections(bytes, header);
  uint64_t table_size = counts.count * sizeof(Elf64_Shdr);
  if (!Fits(bytes, header.e_shoff, table_size)) {
    return fmt::format("its section header table ends at byte {}, but the file has {} bytes",
                       header.e_shoff + table_size, bytes.size());
  }

  // The section that starts first among those that end past the file is
  // the one the cut lies in.
  Elf64_Shdr names{};
  ReadAt(bytes, header.e_shoff + uint64_t{counts.names_index} * sizeof(Elf64_Shdr), &names);
  std::optional<size_t> cut_index;
  Elf64_Shdr cut{};
  cut.sh_offset = std::numeric_limits<uint64_t>::max();
  for (size_t index = 0; index < counts.count; ++index) {
    Elf64_Shdr section{};
    ReadAt(bytes, header.e_shoff + index * sizeof(Elf64_Shdr), &section);
    if (section.sh_type == SHT_NULL || section.sh_type == SHT_NOBITS) continue;
    if (Fits(bytes, section.sh_offset, section.sh_size) || section.sh_offset >= cut.sh_offset) {
      continue;
    }
    cut_index = index;
    cut = section;
  }
  if (!cut_index) return std::nullopt;
  return fmt::format("section {} ends at byte {}, but the file has {} bytes",
                     SectionName(bytes, names, cut, *cut_index), cut.sh_offset + cut.sh_size,
                     bytes.size());
}

}  // namespace nubpf::runtime
