// Maps an instruction of a BPF program back to the `.nu` line it came from,
// through the BTF line info that nubpfc writes into `.BTF.ext`, so that a
// verifier rejection can be reported against the source.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/object_file.h"

namespace nubpf::runtime {

struct InstructionSource {
  // The source file as nubpfc was given it, relative to where it ran
  // unless it was absolute.
  std::string file;
  uint32_t line = 0;
  // 1-based; 0 when the compiler recorded no column.
  uint32_t column = 0;
  // The text of the line as BTF stores it, read by LLVM from the file at
  // compile time. Empty when LLVM could not read the file.
  std::string line_text;
};

// Returns the source of instruction `instruction` of the program whose ELF
// function symbol is `function`: the BTF line info record at or before the
// instruction within that function. Returns nullopt when the object has
// no such symbol, no `.BTF` or `.BTF.ext` section, or no record for it,
// and when the instruction lies past the function, as in a subprogram
// that libbpf appended when it loaded the program.
std::optional<InstructionSource> FindInstructionSource(const ObjectSource& source,
                                                       const std::string& function,
                                                       uint32_t instruction);

// Returns the lines that show `at` as nubpfc's diagnostics do: a gutter,
// the source line and a caret under the column. The line comes from BTF,
// or from the file when BTF has no text for it; without either, returns
// no lines.
std::vector<std::string> SourceSnippet(const InstructionSource& at);

}  // namespace nubpf::runtime
