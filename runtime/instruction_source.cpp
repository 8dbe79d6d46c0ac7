#include "runtime/instruction_source.h"

#include <bpf/btf.h>
#include <fmt/core.h>
#include <gelf.h>
#include <libelf.h>
#include <linux/bpf.h>

#include <cstring>
#include <fstream>
#include <memory>
#include <string_view>

namespace nubpf::runtime {
namespace {

constexpr uint16_t kBtfMagic = 0xeB9F;
constexpr uint32_t kInstructionBytes = 8;

struct ElfDeleter {
  void operator()(Elf* elf) const { elf_end(elf); }
};
struct BtfDeleter {
  void operator()(btf* types) const { btf__free(types); }
};

// The part of the `.BTF.ext` header this file reads; offsets count from
// the end of the header, whose length is `header_length`.
struct BtfExtHeader {
  uint16_t magic;
  uint8_t version;
  uint8_t flags;
  uint32_t header_length;
  uint32_t func_info_offset;
  uint32_t func_info_length;
  uint32_t line_info_offset;
  uint32_t line_info_length;
};

struct ElfSections {
  std::string_view btf;
  std::string_view btf_ext;
  // The program's section, the byte offset of its function in it and
  // the function's size in bytes.
  std::string program_section;
  uint64_t function_offset = 0;
  uint64_t function_size = 0;
  bool found_function = false;
};

std::string_view SectionBytes(Elf_Scn* section) {
  Elf_Data* data = elf_getdata(section, nullptr);
  if (data == nullptr || data->d_buf == nullptr) return {};
  return {static_cast<const char*>(data->d_buf), data->d_size};
}

// Finds `.BTF`, `.BTF.ext` and the function symbol `function`, whose
// section contains the program's instructions.
ElfSections ReadSections(Elf* elf, const std::string& function) {
  ElfSections found;
  size_t names_index = 0;
  if (elf_getshdrstrndx(elf, &names_index) != 0) return found;

  for (Elf_Scn* section = elf_nextscn(elf, nullptr); section != nullptr;
       section = elf_nextscn(elf, section)) {
    GElf_Shdr header;
    if (gelf_getshdr(section, &header) == nullptr) continue;
    const char* name = elf_strptr(elf, names_index, header.sh_name);
    if (name == nullptr) continue;
    if (std::strcmp(name, ".BTF") == 0) found.btf = SectionBytes(section);
    if (std::strcmp(name, ".BTF.ext") == 0) found.btf_ext = SectionBytes(section);
    if (header.sh_type != SHT_SYMTAB) continue;

    Elf_Data* symbols = elf_getdata(section, nullptr);
    size_t count = header.sh_entsize == 0 ? 0 : header.sh_size / header.sh_entsize;
    for (size_t i = 0; symbols != nullptr && i < count; ++i) {
      GElf_Sym symbol;
      if (gelf_getsym(symbols, static_cast<int>(i), &symbol) == nullptr) continue;
      const char* symbol_name = elf_strptr(elf, header.sh_link, symbol.st_name);
      if (GELF_ST_TYPE(symbol.st_info) != STT_FUNC || symbol_name == nullptr ||
          function != symbol_name) {
        continue;
      }
      GElf_Shdr program_header;
      Elf_Scn* program = elf_getscn(elf, symbol.st_shndx);
      if (program == nullptr || gelf_getshdr(program, &program_header) == nullptr) continue;
      const char* program_name = elf_strptr(elf, names_index, program_header.sh_name);
      if (program_name == nullptr) continue;
      found.program_section = program_name;
      found.function_offset = symbol.st_value;
      found.function_size = symbol.st_size;
      found.found_function = true;
    }
  }
  return found;
}

// Looks up byte offset `target` of `section` in the line info of
// `btf_ext`: the last record at or before it that lies at or after
// `start`, the function's first byte. The line info is a record size,
// then per section its name, a record count and the records, which LLVM
// writes in instruction order.
std::optional<bpf_line_info> FindLineRecord(const btf* types, std::string_view btf_ext,
                                            const std::string& section, uint64_t start,
                                            uint64_t target) {
  BtfExtHeader header{};
  if (btf_ext.size() < sizeof(header)) return std::nullopt;
  std::memcpy(&header, btf_ext.data(), sizeof(header));
  if (header.magic != kBtfMagic || header.header_length > btf_ext.size()) return std::nullopt;
  std::string_view body = btf_ext.substr(header.header_length);
  if (header.line_info_offset > body.size() ||
      body.size() - header.line_info_offset < header.line_info_length) {
    return std::nullopt;
  }
  std::string_view lines = body.substr(header.line_info_offset, header.line_info_length);

  auto read_u32 = [&lines](size_t offset, uint32_t* value) {
    if (offset + sizeof(uint32_t) > lines.size()) return false;
    std::memcpy(value, lines.data() + offset, sizeof(uint32_t));
    return true;
  };
  uint32_t record_size = 0;
  if (!read_u32(0, &record_size) || record_size < sizeof(bpf_line_info)) return std::nullopt;

  std::optional<bpf_line_info> best;
  size_t offset = sizeof(uint32_t);
  uint32_t name_offset = 0;
  uint32_t count = 0;
  while (read_u32(offset, &name_offset) && read_u32(offset + 4, &count)) {
    offset += 8;
    if (count > (lines.size() - offset) / record_size) return std::nullopt;
    const char* name = btf__name_by_offset(types, name_offset);
    bool same_section = name != nullptr && section == name;
    for (uint32_t i = 0; same_section && i < count; ++i) {
      bpf_line_info record;
      std::memcpy(&record, lines.data() + offset + size_t{i} * record_size, sizeof(record));
      if (record.insn_off >= start && record.insn_off <= target) best = record;
    }
    offset += size_t{count} * record_size;
  }
  return best;
}

// Returns line `number` of `path`, or nullopt when the file cannot be read
// or is shorter.
std::optional<std::string> ReadLine(const std::string& path, uint32_t number) {
  std::ifstream in(path);
  std::string line;
  for (uint32_t i = 0; i < number; ++i) {
    if (!std::getline(in, line)) return std::nullopt;
  }
  return line;
}

}  // namespace

std::optional<InstructionSource> FindInstructionSource(const ObjectSource& source,
                                                       const std::string& function,
                                                       uint32_t instruction) {
  // elf_version() must be called once before any other libelf function;
  // libelf only reads the memory, despite the non-const type.
  elf_version(EV_CURRENT);
  std::unique_ptr<Elf, ElfDeleter> elf(
      elf_memory(const_cast<char*>(source.bytes.data()), source.bytes.size()));
  if (elf == nullptr) return std::nullopt;
  ElfSections sections = ReadSections(elf.get(), function);
  if (!sections.found_function || sections.btf.empty() || sections.btf_ext.empty()) {
    return std::nullopt;
  }

  uint64_t target = sections.function_offset + uint64_t{instruction} * kInstructionBytes;
  if (sections.function_size != 0 &&
      target >= sections.function_offset + sections.function_size) {
    return std::nullopt;
  }
  std::unique_ptr<btf, BtfDeleter> types(
      btf__new(sections.btf.data(), static_cast<uint32_t>(sections.btf.size())));
  if (types == nullptr) return std::nullopt;
  std::optional<bpf_line_info> record =
      FindLineRecord(types.get(), sections.btf_ext, sections.program_section,
                     sections.function_offset, target);
  if (!record) return std::nullopt;

  InstructionSource at;
  const char* file = btf__name_by_offset(types.get(), record->file_name_off);
  const char* text = btf__name_by_offset(types.get(), record->line_off);
  // LLVM joins a relative file name to the directory nubpfc gives, `.`.
  at.file = file != nullptr ? file : "";
  if (at.file.rfind("./", 0) == 0) at.file.erase(0, 2);
  at.line_text = text != nullptr ? text : "";
  at.line = BPF_LINE_INFO_LINE_NUM(record->line_col);
  at.column = BPF_LINE_INFO_LINE_COL(record->line_col);
  if (at.file.empty() || at.line == 0) return std::nullopt;
  return at;
}

std::vector<std::string> SourceSnippet(const InstructionSource& at) {
  // BTF has the line as nubpfc compiled it, so the file, which may have
  // changed since, is read only when BTF has no text for the line.
  std::string line = at.line_text;
  if (line.empty()) line = ReadLine(at.file, at.line).value_or("");
  if (line.empty()) return {};

  std::string number = std::to_string(at.line);
  std::string gutter(number.size(), ' ');
  std::vector<std::string> lines = {
      fmt::format("{} |", gutter),
      fmt::format("{} | {}", number, line),
  };
  if (at.column == 0) return lines;

  // Tabs stay tabs under the line, so the caret lines up with the column.
  std::string indent;
  for (uint32_t i = 0; i + 1 < at.column && i < line.size(); ++i) {
    indent += line[i] == '\t' ? '\t' : ' ';
  }
  lines.push_back(fmt::format("{} | {}^", gutter, indent));
  return lines;
}

}  // namespace nubpf::runtime
