// The whole of nubpfc in one call, for the fuzz target and for the tests
// that replay its findings: probe text in, a BPF object or diagnostics out,
// with no file written.
#pragma once

#include <string>

#include "compiler/kernel_btf.h"

namespace nubpf::fuzzing {

enum class CompileOutcome {
  kObject,         // the text compiled into a BPF object
  kSourceError,    // the compiler reported errors in the text
  kInternalError,  // a stage failed in a way the checker should have prevented
};

struct CompileTextResult {
  CompileOutcome outcome = CompileOutcome::kSourceError;
  // The diagnostics as nubpfc prints them, then any internal error.
  std::string message;
  std::string object;
};

// Runs the stages of `nubpfc FILE -o OUT` on `text` as nubpfc does: parse,
// load modules, check, the MIR passes, the MIR verifier, LLVM lowering and
// object emission. `path` names the text in diagnostics, and modules are
// looked up in its folder. Kernel types come from `btf` and tracepoint
// formats from the host's tracefs.
CompileTextResult CompileText(const std::string& text, const std::string& path,
                              const compiler::KernelBtf& btf);

}  // namespace nubpf::fuzzing
