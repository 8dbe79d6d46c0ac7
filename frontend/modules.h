// Module files: `use helpers.nu *` imports the `def` commands and `const`s
// of another `.nu` file, as Nushell's `use` does for a module file.
//
//   # helpers.nu
//   export def opened [e] { emit {pid: $e.pid, file: $e.filename} }
//
//   # probe.nu
//   use helpers.nu *
//   probe tracepoint:syscalls:sys_enter_openat {|e| opened $e }
//
// After LoadModules, the File of probe.nu also contains `opened`, so the
// checker reads one file. Spans of imported items point into the module,
// which SourceFile::LoadModule adds to the main file.
#pragma once

#include <string>
#include <vector>

#include "frontend/ast.h"
#include "frontend/diagnostics.h"
#include "frontend/input_files.h"
#include "frontend/source.h"

namespace nubpf::frontend {

// Returns true for a `use` of a module file (`helpers.nu`, `lib/net.nu`),
// as opposed to a module name such as `nubpf`, which only Nushell reads.
bool IsModuleFile(const UseDecl& use);

// Finds, parses and checks the module files that `file`, the syntax tree
// of `main`, uses, and those they use in turn, each once, and adds their
// commands and constants to `file` before its own. A path is looked up in
// the folder of the file that uses it, then in each of `include_dirs` in
// order. Reports a missing module, a cycle, a module that has more than
// `def`, `const` and `use`, and a command that two files define. Records
// each module file read into `inputs`. Returns false after any error.
bool LoadModules(SourceFile& main, const std::vector<std::string>& include_dirs,
                 InputFiles* inputs, DiagnosticSink& diagnostics, File* file);

}  // namespace nubpf::frontend
