#include "tests/fuzz/compile_text.h"

#include <optional>
#include <sstream>

#include "backend/backend.h"
#include "compiler/checker.h"
#include "compiler/mir_passes.h"
#include "frontend/diagnostics.h"
#include "frontend/modules.h"
#include "frontend/parser.h"
#include "frontend/source.h"

namespace nubpf::fuzzing {

static std::string RenderDiagnostics(const frontend::SourceFile& source,
                                     const frontend::DiagnosticSink& diagnostics) {
  std::ostringstream text;
  for (const frontend::Diagnostic& diagnostic : diagnostics.diagnostics()) {
    frontend::RenderFramed(source, diagnostic, text);
  }
  return text.str();
}

CompileTextResult CompileText(const std::string& text, const std::string& path,
                              const compiler::KernelBtf& btf) {
  CompileTextResult result;
  frontend::SourceFile source(path, text);
  frontend::DiagnosticSink diagnostics;

  // Parse and load modules, as nubpfc does with no `-I` folders.
  frontend::File ast;
  bool parsed = frontend::Parse(source, diagnostics, &ast) &&
                frontend::LoadModules(source, /*include_dirs=*/{}, /*inputs=*/nullptr,
                                      diagnostics, &ast);
  if (!parsed) {
    result.message = RenderDiagnostics(source, diagnostics);
    return result;
  }

  // Check against the given BTF and the host's tracefs.
  compiler::CheckOptions check;
  check.btf = &btf;
  mir::Module mir;
  bool checked = compiler::Check(ast, check, diagnostics, &mir);
  result.message = RenderDiagnostics(source, diagnostics);
  if (!checked) return result;

  // The MIR passes at nubpfc's default -O2, then the MIR verifier, whose
  // findings are compiler bugs.
  mir::OptimizeModule(&mir);
  for (const mir::Function& function : mir.functions) {
    if (std::optional<std::string> invalid = mir::VerifyFunction(mir, function)) {
      result.outcome = CompileOutcome::kInternalError;
      result.message += "invalid MIR " + *invalid;
      return result;
    }
  }

  // Lower to an object. The backend's errors that do not start with
  // `internal error:` are limits of the kernel that the source exceeds.
  std::string error;
  if (!backend::Emit(mir, source, backend::BackendOptions{}, backend::OutputKind::kObject,
                     &result.object, &error)) {
    bool internal = error.rfind("internal error:", 0) == 0;
    result.outcome = internal ? CompileOutcome::kInternalError : CompileOutcome::kSourceError;
    result.message += error;
    return result;
  }
  result.outcome = CompileOutcome::kObject;
  return result;
}

}  // namespace nubpf::fuzzing
