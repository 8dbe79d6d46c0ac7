// The function symbols and loadable segments of one ELF file, which name
// the addresses of a user stack that lie in a mapping of the file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/error.h"

namespace nubpf::runtime {

// The function that contains an address, and the address's offset from
// the function's start. `name` points into the ElfSymbolTable.
struct ElfFunctionHit {
  const std::string* name = nullptr;
  uint64_t offset = 0;
};

class ElfSymbolTable {
 public:
  // Reads the PT_LOAD program headers and the function symbols of `path`:
  // those of `.symtab`, or of `.dynsym` when the file was stripped. C++
  // names are demangled. Fails when the file cannot be opened or is not
  // an ELF file.
  static ErrorOr<ElfSymbolTable> Load(const std::string& path);

  // Returns the virtual address that the byte at file `offset` is loaded
  // at, through the executable PT_LOAD segment whose file bytes contain
  // it, or nullopt when no executable segment does: code lies in those.
  std::optional<uint64_t> FileOffsetToAddress(uint64_t offset) const;

  // Returns the function that contains the virtual `address`: the symbol
  // at or below it, if the symbol's size reaches the address, or if the
  // symbol has no size and a later symbol starts after the address.
  // Returns nullopt when none does.
  std::optional<ElfFunctionHit> FindFunction(uint64_t address) const;

  size_t function_count() const { return functions_.size(); }

 private:
  struct Segment {
    uint64_t file_offset = 0;
    uint64_t file_size = 0;
    uint64_t address = 0;
  };
  struct Function {
    uint64_t address = 0;
    uint64_t size = 0;
    std::string name;
  };

  std::vector<Segment> segments_;
  // Sorted by address; of several at one address, the first in the table.
  std::vector<Function> functions_;
};

}  // namespace nubpf::runtime
