// Function symbols of an executable or shared library, for the targets
// `uprobe:/bin/bash:readline`, `uprobe:/bin/bash:readline+0x10` and
// `uprobe:/bin/bash:read*`. A uprobe is placed at a file offset, which the
// kernel turns into an address in every process that maps the file, so
// each symbol carries the file offset of its first instruction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nubpf::compiler {

struct FunctionSymbol {
  std::string name;
  uint64_t address = 0;      // st_value: the link-time virtual address
  uint64_t size = 0;         // st_size in bytes; 0 when the table records none
  uint64_t file_offset = 0;  // where the function's first byte lies in the file
};

struct FunctionSymbolTable {
  std::string path;
  // The defined functions (STT_FUNC) of `.symtab` and `.dynsym`, sorted by
  // name, then address. A function listed in both tables appears once. A
  // name repeats only when static functions of different source files
  // share it.
  std::vector<FunctionSymbol> functions;
  // Names of the indirect functions (STT_GNU_IFUNC), sorted, such as libc's
  // `strlen`, so that a failed lookup can report why they cannot be probed.
  std::vector<std::string> indirect_functions;
  // False for a stripped file, whose `.dynsym` lists only the functions
  // that other files may link against.
  bool has_symtab = false;
};

// Reads the function symbols of `path`, which must be an ELF64
// little-endian executable or shared library. `.dynsym` entries that are
// not the default version of their name (`memcpy@GLIBC_2.2.5` beside
// `memcpy@@GLIBC_2.14`) are skipped, as a dynamic linker skips them.
// Returns false with `error` set when the file cannot be read or has
// neither `.symtab` nor `.dynsym`.
bool ReadFunctionSymbols(const std::string& path, FunctionSymbolTable* out,
                         std::string* error);

// Returns the function named `name`, or nullptr with `error` set when no
// function has that name, when it names an indirect function, or when
// several static functions share it.
const FunctionSymbol* FindFunctionSymbol(const FunctionSymbolTable& table,
                                         std::string_view name, std::string* error);

// Returns in `out` the functions whose names match the glob `pattern`
// (`*` and `?`, see compiler/glob.h), in the table's order. Returns false
// with `error` set when none match, or when more than `max_matches` do.
bool MatchFunctionSymbols(const FunctionSymbolTable& table, std::string_view pattern,
                          size_t max_matches, std::vector<FunctionSymbol>* out,
                          std::string* error);

// The attach point of a uprobe: a function, and a byte offset into it.
struct UprobeAddress {
  std::string function;
  uint64_t offset = 0;       // bytes past the function's first byte
  uint64_t address = 0;      // the function's address + offset
  uint64_t file_offset = 0;  // the function's file offset + offset
};

// Resolves `target`, a function name with an optional byte offset in
// decimal or hexadecimal: `readline`, `readline+16`, `readline+0x10`.
// Returns false with `error` set when FindFunctionSymbol fails, when the
// offset is malformed, or when the offset is not inside the function. An
// offset must be below the symbol's size, and 0 when the table records no
// size.
bool ResolveUprobeAddress(const FunctionSymbolTable& table, std::string_view target,
                          UprobeAddress* out, std::string* error);

}  // namespace nubpf::compiler
