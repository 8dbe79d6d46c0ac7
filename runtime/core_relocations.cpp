#include "runtime/core_relocations.h"

#include <gelf.h>
#include <libelf.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string_view>

namespace nubpf::runtime {
namespace {

// libbpf's `enum bpf_core_relo_kind` value for BPF_CORE_TYPE_ID_LOCAL.
constexpr uint32_t kTypeIdLocal = 6;
// The opcode of `ld_imm64` (BPF_LD | BPF_IMM | BPF_DW), a 16-byte
// instruction whose two 32-bit immediates, at bytes 4 and 12, make the
// 64-bit value.
constexpr uint8_t kLoadImm64 = 0x18;
constexpr size_t kInstructionSize = 8;

// The .BTF.ext header fields that locate the CO-RE relocations, as offsets
// into the header (struct btf_ext_header in the kernel's uapi btf.h). Each
// relocation record starts {insn_off, type_id, access_str_off, kind}.
constexpr size_t kExtHeaderLenOffset = 4;
constexpr size_t kCoreReloOffOffset = 24;
constexpr size_t kCoreReloLenOffset = 28;
constexpr size_t kCoreReloRecordMinSize = 16;
// The .BTF header fields that locate its string section.
constexpr size_t kBtfHeaderLenOffset = 4;
constexpr size_t kBtfStrOffOffset = 16;
constexpr size_t kBtfStrLenOffset = 20;

struct SectionSpan {
  size_t offset = 0;
  size_t size = 0;
};

std::optional<uint32_t> ReadU32(std::string_view bytes, size_t offset) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(uint32_t)) return std::nullopt;
  uint32_t value;
  std::memcpy(&value, bytes.data() + offset, sizeof(value));
  return value;
}

// Returns where each named section lies in the file, or nullopt when libelf
// cannot read the section table or a section lies outside the file.
std::optional<std::map<std::string, SectionSpan, std::less<>>> SectionSpans(std::string& bytes) {
  elf_version(EV_CURRENT);
  Elf* elf = elf_memory(bytes.data(), bytes.size());
  if (elf == nullptr) return std::nullopt;

  size_t names_index = 0;
  std::map<std::string, SectionSpan, std::less<>> spans;
  bool valid = elf_getshdrstrndx(elf, &names_index) == 0;
  for (Elf_Scn* section = elf_nextscn(elf, nullptr); valid && section != nullptr;
       section = elf_nextscn(elf, section)) {
    GElf_Shdr header;
    if (gelf_getshdr(section, &header) == nullptr || header.sh_type == SHT_NOBITS) continue;
    const char* name = elf_strptr(elf, names_index, header.sh_name);
    if (name == nullptr) continue;
    if (header.sh_offset > bytes.size() || bytes.size() - header.sh_offset < header.sh_size) {
      valid = false;
      break;
    }
    spans[name] = SectionSpan{header.sh_offset, header.sh_size};
  }
  elf_end(elf);
  if (!valid) return std::nullopt;
  return spans;
}

// Returns the string at `offset` in the string section of the BTF in `btf`.
std::optional<std::string_view> BtfString(std::string_view btf, uint32_t offset) {
  std::optional<uint32_t> header_len = ReadU32(btf, kBtfHeaderLenOffset);
  std::optional<uint32_t> str_off = ReadU32(btf, kBtfStrOffOffset);
  std::optional<uint32_t> str_len = ReadU32(btf, kBtfStrLenOffset);
  if (!header_len || !str_off || !str_len || offset >= *str_len) return std::nullopt;
  size_t start = size_t{*header_len} + *str_off;
  if (start > btf.size() || btf.size() - start < *str_len) return std::nullopt;
  std::string_view strings = btf.substr(start, *str_len);
  size_t end = strings.find('\0', offset);
  if (end == std::string_view::npos) return std::nullopt;
  return strings.substr(offset, end - offset);
}

// True when the instruction at `insn_off` of `program` is an `ld_imm64` of
// `type_id`: what libbpf would patch it to.
bool LoadsTypeId(std::string_view program, uint32_t insn_off, uint32_t type_id) {
  if (insn_off > program.size() || program.size() - insn_off < 2 * kInstructionSize) return false;
  std::optional<uint32_t> low = ReadU32(program, insn_off + 4);
  std::optional<uint32_t> high = ReadU32(program, insn_off + kInstructionSize + 4);
  return static_cast<uint8_t>(program[insn_off]) == kLoadImm64 && low == type_id && high == 0u;
}

}  // namespace

bool DropNoOpTypeIdRelocations(std::string& bytes) {
  std::optional<std::map<std::string, SectionSpan, std::less<>>> spans = SectionSpans(bytes);
  if (!spans) return false;
  auto btf_span = spans->find(".BTF");
  auto ext_span = spans->find(".BTF.ext");
  if (btf_span == spans->end() || ext_span == spans->end()) return false;
  std::string_view file(bytes);
  std::string_view btf = file.substr(btf_span->second.offset, btf_span->second.size);
  std::string_view ext = file.substr(ext_span->second.offset, ext_span->second.size);

  // Headers older than the CO-RE fields end before kCoreReloLenOffset + 4.
  std::optional<uint32_t> header_len = ReadU32(ext, kExtHeaderLenOffset);
  if (!header_len || *header_len < kCoreReloLenOffset + sizeof(uint32_t)) return false;
  std::optional<uint32_t> relo_off = ReadU32(ext, kCoreReloOffOffset);
  std::optional<uint32_t> relo_len = ReadU32(ext, kCoreReloLenOffset);
  if (!relo_off || !relo_len || *relo_len == 0) return false;
  size_t start = size_t{*header_len} + *relo_off;
  if (start > ext.size() || ext.size() - start < *relo_len) return false;
  std::string_view relocations = ext.substr(start, *relo_len);

  // The section is a record size, then per program section its name (an
  // offset into the .BTF strings), a count, and that many records.
  std::optional<uint32_t> record_size = ReadU32(relocations, 0);
  if (!record_size || *record_size < kCoreReloRecordMinSize) return false;
  size_t at = sizeof(uint32_t);
  while (at < relocations.size()) {
    std::optional<uint32_t> name_off = ReadU32(relocations, at);
    std::optional<uint32_t> count = ReadU32(relocations, at + 4);
    if (!name_off || !count) return false;
    at += 8;
    std::optional<std::string_view> name = BtfString(btf, *name_off);
    if (!name) return false;
    auto program = spans->find(*name);
    if (program == spans->end()) return false;
    std::string_view code = file.substr(program->second.offset, program->second.size);

    for (uint32_t i = 0; i < *count; ++i, at += *record_size) {
      std::optional<uint32_t> insn_off = ReadU32(relocations, at);
      std::optional<uint32_t> type_id = ReadU32(relocations, at + 4);
      std::optional<uint32_t> kind = ReadU32(relocations, at + 12);
      if (!insn_off || !type_id || kind != kTypeIdLocal) return false;
      if (!LoadsTypeId(code, *insn_off, *type_id)) return false;
    }
  }

  // A zero length makes libbpf see no CO-RE relocations at all.
  uint32_t zero = 0;
  std::memcpy(bytes.data() + ext_span->second.offset + kCoreReloLenOffset, &zero, sizeof(zero));
  return true;
}

}  // namespace nubpf::runtime
