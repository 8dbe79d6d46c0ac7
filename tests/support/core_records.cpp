#include "tests/support/core_records.h"

#include <bpf/btf.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <map>

#include "tests/support/core_access.h"

namespace nubpf::testing {
namespace {

// The .BTF.ext header, as the kernel's Documentation/bpf/btf.rst describes it
// under ".BTF.ext section". Offsets count from the end of the header, which
// is `hdr_len` bytes long. The CO-RE fields exist only when `hdr_len` covers
// them.
struct BtfExtHeader {
  uint16_t magic;
  uint8_t version;
  uint8_t flags;
  uint32_t hdr_len;
  uint32_t func_info_off;
  uint32_t func_info_len;
  uint32_t line_info_off;
  uint32_t line_info_len;
  uint32_t core_relo_off;
  uint32_t core_relo_len;
};

constexpr uint16_t kBtfMagic = 0xeb9f;

// A function symbol and the bytes [start, end) it covers in its section.
struct FunctionSymbol {
  std::string name;
  uint64_t start = 0;
  uint64_t end = 0;
};

// The parts of an ELF object that locating CO-RE records needs.
struct ObjectSections {
  std::map<std::string, size_t> index_by_name;
  std::map<size_t, std::vector<FunctionSymbol>> functions_by_section;
  const uint8_t* btf_ext = nullptr;
  size_t btf_ext_size = 0;
};

// Owns an open file and its libelf handle.
class ElfHandle {
 public:
  explicit ElfHandle(const std::string& path) {
    fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return;
    elf_version(EV_CURRENT);
    elf_ = elf_begin(fd_, ELF_C_READ, nullptr);
  }
  ~ElfHandle() {
    if (elf_ != nullptr) elf_end(elf_);
    if (fd_ >= 0) close(fd_);
  }
  ElfHandle(const ElfHandle&) = delete;
  ElfHandle& operator=(const ElfHandle&) = delete;

  bool opened() const { return fd_ >= 0; }
  Elf* elf() const { return elf_; }

 private:
  int fd_ = -1;
  Elf* elf_ = nullptr;
};

void ReadFunctionSymbols(Elf* elf, Elf_Scn* symtab, const GElf_Shdr& header,
                         ObjectSections* sections) {
  Elf_Data* data = elf_getdata(symtab, nullptr);
  if (data == nullptr || header.sh_entsize == 0) return;
  size_t count = header.sh_size / header.sh_entsize;
  for (size_t i = 0; i < count; ++i) {
    GElf_Sym symbol;
    if (gelf_getsym(data, static_cast<int>(i), &symbol) == nullptr) continue;
    if (GELF_ST_TYPE(symbol.st_info) != STT_FUNC) continue;
    const char* name = elf_strptr(elf, header.sh_link, symbol.st_name);
    if (name == nullptr) continue;
    sections->functions_by_section[symbol.st_shndx].push_back(
        {name, symbol.st_value, symbol.st_value + symbol.st_size});
  }
}

// Collects section indexes, function symbols and the .BTF.ext bytes; returns
// an error message, or "" on success.
std::string ReadSections(Elf* elf, ObjectSections* sections) {
  GElf_Ehdr elf_header;
  if (elf_kind(elf) != ELF_K_ELF || gelf_getehdr(elf, &elf_header) == nullptr) {
    return "not an ELF file";
  }
  if (elf_header.e_machine != EM_BPF) return "not a BPF object (e_machine is not EM_BPF)";
  if (elf_header.e_ident[EI_DATA] != ELFDATA2LSB) {
    return "a big-endian BPF object, which this reader does not support";
  }
  size_t names_index = 0;
  if (elf_getshdrstrndx(elf, &names_index) != 0) return "no section name table";

  for (Elf_Scn* section = elf_nextscn(elf, nullptr); section != nullptr;
       section = elf_nextscn(elf, section)) {
    GElf_Shdr header;
    if (gelf_getshdr(section, &header) == nullptr) return "unreadable section header";
    const char* name = elf_strptr(elf, names_index, header.sh_name);
    if (name == nullptr) continue;
    sections->index_by_name[name] = elf_ndxscn(section);

    if (header.sh_type == SHT_SYMTAB) ReadFunctionSymbols(elf, section, header, sections);
    if (std::strcmp(name, BTF_EXT_ELF_SEC) == 0) {
      Elf_Data* data = elf_getdata(section, nullptr);
      if (data == nullptr || data->d_buf == nullptr) return "unreadable .BTF.ext section";
      sections->btf_ext = static_cast<const uint8_t*>(data->d_buf);
      sections->btf_ext_size = data->d_size;
    }
  }
  return "";
}

uint32_t ReadU32(const uint8_t* bytes) {
  uint32_t value;
  std::memcpy(&value, bytes, sizeof(value));
  return value;
}

// Finds the function of `section` that contains byte `offset`; sets
// `record->program` and the instruction index counted from that function.
void LocateInstruction(const ObjectSections& sections, uint32_t offset, CoreRecord* record) {
  record->instruction = offset / sizeof(bpf_insn);
  auto index = sections.index_by_name.find(record->section);
  if (index == sections.index_by_name.end()) return;
  auto functions = sections.functions_by_section.find(index->second);
  if (functions == sections.functions_by_section.end()) return;
  for (const FunctionSymbol& function : functions->second) {
    if (offset >= function.start && offset < function.end) {
      record->program = function.name;
      record->instruction = (offset - function.start) / sizeof(bpf_insn);
      return;
    }
  }
}

// Walks the CO-RE part of .BTF.ext. It is a record size, then for each ELF
// section its name (a .BTF string offset), a record count and that many
// `struct bpf_core_relo` records of the given size.
std::string ParseCoreRecords(const ObjectSections& sections, const btf* object_btf,
                             std::vector<CoreRecord>* records) {
  if (sections.btf_ext_size < offsetof(BtfExtHeader, func_info_off)) {
    return ".BTF.ext is shorter than its header";
  }
  BtfExtHeader header{};
  std::memcpy(&header, sections.btf_ext,
              std::min(sizeof(header), sections.btf_ext_size));
  if (header.magic != kBtfMagic) return ".BTF.ext does not start with the BTF magic 0xeb9f";
  if (header.hdr_len < offsetof(BtfExtHeader, core_relo_len) + sizeof(uint32_t)) return "";
  if (header.hdr_len > sections.btf_ext_size) return ".BTF.ext header is longer than the section";
  if (header.core_relo_len == 0) return "";

  if (uint64_t{header.hdr_len} + header.core_relo_off + header.core_relo_len >
      sections.btf_ext_size) {
    return ".BTF.ext CO-RE records run past the end of the section";
  }
  const uint8_t* start = sections.btf_ext + header.hdr_len + header.core_relo_off;
  const uint8_t* end = start + header.core_relo_len;
  if (end - start < 4) return ".BTF.ext CO-RE part has no record size";
  uint32_t record_size = ReadU32(start);
  if (record_size < sizeof(bpf_core_relo)) {
    return ".BTF.ext CO-RE record size " + std::to_string(record_size) + " is too small";
  }

  for (const uint8_t* cursor = start + 4; cursor < end;) {
    if (end - cursor < 8) return ".BTF.ext CO-RE section header is cut off";
    const char* section = btf__str_by_offset(object_btf, ReadU32(cursor));
    uint32_t count = ReadU32(cursor + 4);
    cursor += 8;
    if (section == nullptr) return ".BTF.ext CO-RE section name is not a .BTF string";
    if (static_cast<uint64_t>(end - cursor) < uint64_t{count} * record_size) {
      return ".BTF.ext CO-RE records of section '" + std::string(section) + "' are cut off";
    }

    for (uint32_t i = 0; i < count; ++i, cursor += record_size) {
      bpf_core_relo relocation;
      std::memcpy(&relocation, cursor, sizeof(relocation));
      const char* access = btf__str_by_offset(object_btf, relocation.access_str_off);
      if (access == nullptr) return ".BTF.ext CO-RE access string is not a .BTF string";

      CoreRecord record;
      record.section = section;
      record.index = i;
      record.kind = relocation.kind;
      record.type_id = relocation.type_id;
      record.access = access;
      record.spec = DescribeCoreAccess(object_btf, relocation.type_id, access, relocation.kind);
      LocateInstruction(sections, relocation.insn_off, &record);
      records->push_back(std::move(record));
    }
  }
  return "";
}

}  // namespace

std::vector<CoreRecord> ReadCoreRecords(const std::string& object_path,
                                        std::string* error) {
  ElfHandle file(object_path);
  if (!file.opened()) {
    *error = "cannot open " + object_path + ": " + std::strerror(errno);
    return {};
  }
  if (file.elf() == nullptr) {
    *error = object_path + ": " + elf_errmsg(-1);
    return {};
  }

  ObjectSections sections;
  std::string problem = ReadSections(file.elf(), &sections);
  if (problem.empty() && sections.btf_ext == nullptr) return {};

  btf* object_btf = problem.empty() ? btf__parse_elf(object_path.c_str(), nullptr) : nullptr;
  if (problem.empty() && object_btf == nullptr) problem = "its .BTF section cannot be parsed";

  std::vector<CoreRecord> records;
  if (problem.empty()) problem = ParseCoreRecords(sections, object_btf, &records);
  btf__free(object_btf);
  if (!problem.empty()) {
    *error = object_path + ": " + problem;
    return {};
  }
  return records;
}

std::string CoreKindName(bpf_core_relo_kind kind) {
  switch (kind) {
    case BPF_CORE_FIELD_BYTE_OFFSET: return "byte_off";
    case BPF_CORE_FIELD_BYTE_SIZE: return "byte_sz";
    case BPF_CORE_FIELD_EXISTS: return "field_exists";
    case BPF_CORE_FIELD_SIGNED: return "signed";
    case BPF_CORE_FIELD_LSHIFT_U64: return "lshift_u64";
    case BPF_CORE_FIELD_RSHIFT_U64: return "rshift_u64";
    case BPF_CORE_TYPE_ID_LOCAL: return "local_type_id";
    case BPF_CORE_TYPE_ID_TARGET: return "target_type_id";
    case BPF_CORE_TYPE_EXISTS: return "type_exists";
    case BPF_CORE_TYPE_SIZE: return "type_size";
    case BPF_CORE_ENUMVAL_EXISTS: return "enumval_exists";
    case BPF_CORE_ENUMVAL_VALUE: return "enumval_value";
    case BPF_CORE_TYPE_MATCHES: return "type_matches";
  }
  return "unknown kind " + std::to_string(static_cast<int>(kind));
}

}  // namespace nubpf::testing
