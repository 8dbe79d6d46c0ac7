// The checker: resolves names, probe targets and types in the AST and builds
// the typed MIR module. Everything the kernel would reject for reasons the
// source shows (an unknown tracepoint, an unknown field, a type mismatch) is
// reported here, against the source span.
#pragma once

#include <cstdint>
#include <string>

#include "compiler/mir.h"
#include "frontend/ast.h"
#include "frontend/diagnostics.h"
#include "frontend/input_files.h"

namespace nubpf::compiler {

class KernelBtf;

struct CheckOptions {
  // Bytes read from a string in user or kernel memory, the NUL included;
  // longer strings are cut at this length.
  uint32_t max_string_length = 256;
  // Frames that `$e.kstack` and `$e.ustack` keep, 1 to mir::kMaxStackDepth.
  uint32_t stack_depth = mir::kDefaultStackDepth;
  // Root of tracefs for tracepoint formats; empty means find or mount it.
  std::string tracefs_root;
  // Kernel BTF for kernel types and BTF-typed arguments; empty means the
  // build host's `/sys/kernel/btf/vmlinux`.
  std::string btf_path;
  // Kernel BTF that the caller has already parsed, used in place of
  // `btf_path` when not null, so that a caller checking many files, such as
  // the fuzz target, parses it once. It must outlive the call to Check.
  const KernelBtf* btf = nullptr;
  // Records every file the checker reads (kernel BTF, tracepoint formats,
  // ELF files of uprobe and USDT targets) when not null.
  frontend::InputFiles* inputs = nullptr;
};

// Checks `file` and fills `out`. Returns false when any error was reported.
bool Check(const frontend::File& file, const CheckOptions& options,
           frontend::DiagnosticSink& diagnostics, mir::Module* out);

}  // namespace nubpf::compiler
