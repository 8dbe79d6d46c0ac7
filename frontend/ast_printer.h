// A stable, indented text dump of the syntax tree, for `nubpfc --emit ast`
// and golden tests. One node per line, children indented by two spaces:
//
//   probe tracepoint:syscalls:sys_enter_openat |e|
//     pipeline
//       command emit
//         record
//           pid:
//             cell-path $e.pid
//
// The file's `use` declarations come first, then top-level constants, then
// `def` commands, then probes, each group in source order. Spans are not
// printed, so the dump does not change when only layout does.
#pragma once

#include <ostream>

#include "frontend/ast.h"

namespace nubpf::frontend {

void PrintAst(const File& file, std::ostream& out);

}  // namespace nubpf::frontend
