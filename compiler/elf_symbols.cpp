#include "compiler/elf_symbols.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <memory>
#include <tuple>

#include "compiler/elf_file.h"
#include "compiler/glob.h"

namespace nubpf::compiler {

// Bit 15 of a `.gnu.version` entry marks a hidden version: one that is not
// the default for its name, such as `memcpy@GLIBC_2.2.5` beside
// `memcpy@@GLIBC_2.14`. <elf.h> names the other version constants but not
// this one.
constexpr uint16_t kHiddenVersion = 0x8000;

static std::string Quoted(std::string_view text) { return "`" + std::string(text) + "`"; }

// Reads the `.gnu.version` entries that belong to the symbol table at
// `table_index`, one per symbol. Leaves `versions` empty when no such
// section exists, as in a file built without symbol versioning.
static bool ReadSymbolVersions(const ElfFile& file, size_t table_index,
                               std::vector<uint16_t>* versions, std::string* error) {
  for (const ElfSection& section : file.sections()) {
    if (section.header.sh_type != SHT_GNU_versym || section.header.sh_link != table_index)
      continue;
    std::string bytes;
    if (!file.ReadSection(section, &bytes, error)) return false;
    versions->resize(bytes.size() / sizeof(uint16_t));
    std::memcpy(versions->data(), bytes.data(), versions->size() * sizeof(uint16_t));
    return true;
  }
  return true;
}

// Appends the defined functions of one symbol table to `functions` and the
// names of its indirect functions to `indirect`.
static bool ReadSymbolTable(const ElfFile& file, size_t table_index,
                            std::vector<FunctionSymbol>* functions,
                            std::vector<std::string>* indirect, std::string* error) {
  const ElfSection& table = file.sections()[table_index];
  const std::string malformed =
      "section " + Quoted(table.name) + " of " + Quoted(file.path()) + " is malformed: ";
  if (table.header.sh_entsize != sizeof(Elf64_Sym)) {
    *error = malformed + "its entries are " + std::to_string(table.header.sh_entsize) +
             " bytes long, not " + std::to_string(sizeof(Elf64_Sym));
    return false;
  }
  if (table.header.sh_link >= file.sections().size()) {
    *error = malformed + "its string table is section " +
             std::to_string(table.header.sh_link) + ", which does not exist";
    return false;
  }

  std::string symbols;
  std::string names;
  std::vector<uint16_t> versions;
  if (!file.ReadSection(table, &symbols, error) ||
      !file.ReadSection(file.sections()[table.header.sh_link], &names, error) ||
      !ReadSymbolVersions(file, table_index, &versions, error)) {
    return false;
  }

  // Entry 0 is the reserved null symbol.
  size_t count = symbols.size() / sizeof(Elf64_Sym);
  for (size_t index = 1; index < count; ++index) {
    Elf64_Sym symbol;
    std::memcpy(&symbol, symbols.data() + index * sizeof(Elf64_Sym), sizeof(symbol));
    unsigned char type = ELF64_ST_TYPE(symbol.st_info);
    if (symbol.st_shndx == SHN_UNDEF) continue;  // imported from another file
    if (type != STT_FUNC && type != STT_GNU_IFUNC) continue;
    if (index < versions.size() && (versions[index] & kHiddenVersion) != 0) continue;

    size_t end = symbol.st_name < names.size() ? names.find('\0', symbol.st_name)
                                               : std::string::npos;
    if (end == std::string::npos) {
      *error = malformed + "the name of symbol " + std::to_string(index) +
               " lies outside its string table";
      return false;
    }
    std::string name = names.substr(symbol.st_name, end - symbol.st_name);
    if (name.empty()) continue;
    if (type == STT_GNU_IFUNC) {
      indirect->push_back(std::move(name));
      continue;
    }

    // A function outside every PT_LOAD segment's file bytes is never mapped
    // from the file, so no uprobe can reach it.
    std::optional<uint64_t> file_offset = file.FileOffsetOf(symbol.st_value);
    if (!file_offset) continue;
    functions->push_back(
        FunctionSymbol{std::move(name), symbol.st_value, symbol.st_size, *file_offset});
  }
  return true;
}

// Sorts by name and address, and keeps one entry per name and address. Of
// two entries for one function, the one with the larger recorded size is
// kept, so that a size of 0 in one table does not hide the other's.
static void SortAndDeduplicate(std::vector<FunctionSymbol>* functions) {
  std::sort(functions->begin(), functions->end(),
            [](const FunctionSymbol& a, const FunctionSymbol& b) {
              return std::tie(a.name, a.address, b.size) <
                     std::tie(b.name, b.address, a.size);
            });
  auto same_function = [](const FunctionSymbol& a, const FunctionSymbol& b) {
    return a.name == b.name && a.address == b.address;
  };
  functions->erase(std::unique(functions->begin(), functions->end(), same_function),
                   functions->end());
}

bool ReadFunctionSymbols(const std::string& path, FunctionSymbolTable* out,
                         std::string* error) {
  std::unique_ptr<ElfFile> file = ElfFile::Open(path, error);
  if (!file) return false;
  *out = FunctionSymbolTable{};
  out->path = path;

  bool has_dynsym = false;
  for (size_t index = 0; index < file->sections().size(); ++index) {
    uint32_t type = file->sections()[index].header.sh_type;
    if (type != SHT_SYMTAB && type != SHT_DYNSYM) continue;
    out->has_symtab = out->has_symtab || type == SHT_SYMTAB;
    has_dynsym = has_dynsym || type == SHT_DYNSYM;
    if (!ReadSymbolTable(*file, index, &out->functions, &out->indirect_functions, error))
      return false;
  }
  if (!out->has_symtab && !has_dynsym) {
    *error = Quoted(path) +
             " has neither a `.symtab` nor a `.dynsym` section: it is stripped "
             "of all symbols, so its functions cannot be found by name";
    return false;
  }

  SortAndDeduplicate(&out->functions);
  std::vector<std::string>& indirect = out->indirect_functions;
  std::sort(indirect.begin(), indirect.end());
  indirect.erase(std::unique(indirect.begin(), indirect.end()), indirect.end());
  return true;
}

// The end of a "not found" message for a stripped file, or "".
static std::string StrippedNote(const FunctionSymbolTable& table) {
  if (table.has_symtab) return "";
  return "; " + Quoted(table.path) +
         " is stripped, so only the functions it exports in `.dynsym` can be found";
}

const FunctionSymbol* FindFunctionSymbol(const FunctionSymbolTable& table,
                                         std::string_view name, std::string* error) {
  auto by_name = [](const FunctionSymbol& function, std::string_view wanted) {
    return function.name < wanted;
  };
  auto first = std::lower_bound(table.functions.begin(), table.functions.end(), name,
                                by_name);
  auto last = first;
  while (last != table.functions.end() && last->name == name) ++last;

  if (first == last) {
    if (std::binary_search(table.indirect_functions.begin(),
                           table.indirect_functions.end(), name)) {
      // TODO: probe the implementation that the resolver picks. Finding it
      // means running the resolver or knowing the CPU features it tests.
      *error = Quoted(name) + " in " + Quoted(table.path) +
               " is an indirect function (STT_GNU_IFUNC), and probing those is "
               "not supported yet: its symbol is the resolver that picks an "
               "implementation once, when the file is loaded";
      return nullptr;
    }
    *error = "function " + Quoted(name) + " not found in " + Quoted(table.path) +
             StrippedNote(table);
    return nullptr;
  }

  if (last - first > 1) {
    std::string addresses;
    for (auto function = first; function != last; ++function) {
      addresses += (addresses.empty() ? "" : ", ") + fmt::format("{:#x}", function->address);
    }
    *error = "function " + Quoted(name) + " is ambiguous in " + Quoted(table.path) + ": " +
             std::to_string(last - first) +
             " static functions have that name, at " + addresses;
    return nullptr;
  }
  return &*first;
}

bool MatchFunctionSymbols(const FunctionSymbolTable& table, std::string_view pattern,
                          size_t max_matches, std::vector<FunctionSymbol>* out,
                          std::string* error) {
  out->clear();
  for (const FunctionSymbol& function : table.functions) {
    if (GlobMatch(pattern, function.name)) out->push_back(function);
  }
  if (out->empty()) {
    *error = "no function in " + Quoted(table.path) + " matches " + Quoted(pattern) +
             StrippedNote(table);
    return false;
  }
  if (out->size() > max_matches) {
    *error = Quoted(pattern) + " matches " + std::to_string(out->size()) +
             " functions in " + Quoted(table.path) + ", more than the limit of " +
             std::to_string(max_matches) + "; write a narrower pattern";
    out->clear();
    return false;
  }
  return true;
}

// Reads a byte count written in decimal (`16`) or hexadecimal (`0x10`).
static bool ParseOffset(std::string_view text, uint64_t* value) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  std::from_chars_result result = std::from_chars(text.data(), end, *value, base);
  return result.ec == std::errc() && result.ptr == end;
}

bool ResolveUprobeAddress(const FunctionSymbolTable& table, std::string_view target,
                          UprobeAddress* out, std::string* error) {
  size_t plus = target.rfind('+');
  std::string_view name = target.substr(0, plus);
  uint64_t offset = 0;
  if (plus != std::string_view::npos) {
    std::string_view digits = target.substr(plus + 1);
    if (name.empty()) {
      *error = "missing function name before the offset in " + Quoted(target);
      return false;
    }
    if (HasWildcard(name)) {
      *error = "an offset cannot follow the pattern " + Quoted(name) +
               ", which may match several functions";
      return false;
    }
    if (!ParseOffset(digits, &offset)) {
      *error = "invalid offset " + Quoted(digits) + " in " + Quoted(target) +
               "; write a byte count such as " + Quoted(std::string(name) + "+16") +
               " or " + Quoted(std::string(name) + "+0x10");
      return false;
    }
  }

  const FunctionSymbol* function = FindFunctionSymbol(table, name, error);
  if (function == nullptr) return false;

  // TODO: check that the offset starts an instruction. A uprobe in the
  // middle of one corrupts the traced program, and catching that needs an
  // x86-64 instruction decoder, which this library does not link.
  if (offset > 0 && function->size == 0) {
    *error = Quoted(function->name) + " in " + Quoted(table.path) +
             " has no recorded size, so the offset " + fmt::format("{:#x}", offset) +
             " cannot be checked against its end; probe it without an offset";
    return false;
  }
  if (offset > 0 && offset >= function->size) {
    *error = "offset " + fmt::format("{:#x}", offset) + " is past the end of " +
             Quoted(function->name) + " in " + Quoted(table.path) + ", which is " +
             fmt::format("{:#x}", function->size) + " bytes long";
    return false;
  }

  // A function lies inside one section and a section inside one segment,
  // so the offset carries over to the file unchanged.
  *out = UprobeAddress{function->name, offset, function->address + offset,
                       function->file_offset + offset};
  return true;
}

}  // namespace nubpf::compiler
