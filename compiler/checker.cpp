#include "compiler/checker.h"

#include <set>

#include "compiler/probe_checker.h"
#include "compiler/probe_target.h"

namespace nubpf::compiler {

// Returns `base`, or `base_2`, `base_3`... when an earlier probe took it.
static std::string UniqueName(const std::string& base,
                              std::set<std::string>* taken) {
  std::string name = base;
  for (int suffix = 2; !taken->insert(name).second; ++suffix) {
    name = base + "_" + std::to_string(suffix);
  }
  return name;
}

bool Check(const frontend::File& file, const CheckOptions& options,
           frontend::DiagnosticSink& diagnostics, mir::Module* out) {
  std::string tracefs_root = options.tracefs_root;
  std::set<std::string> function_names;
  bool ok = true;

  for (const frontend::ProbeDecl& probe : file.probes) {
    ProbeTarget target;
    if (!ResolveProbeTarget(probe.target, probe.target_span, &tracefs_root,
                            diagnostics, &target)) {
      ok = false;
      continue;
    }

    mir::Function function;
    function.name = UniqueName(target.name, &function_names);
    function.section = "tracepoint/" + target.category + "/" + target.name;
    function.target = probe.target;
    function.span = probe.span;
    out->functions.push_back(std::move(function));

    ProbeChecker checker(probe, target, options, diagnostics, out,
                         &out->functions.back());
    ok = checker.Run() && ok;
  }
  if (ok && file.probes.empty()) {
    diagnostics.Error(frontend::Span{0, 0}, "this file has no probes",
                      "add one, such as `probe "
                      "tracepoint:syscalls:sys_enter_openat {|e| count }`");
    return false;
  }
  return ok && !diagnostics.has_errors();
}

}  // namespace nubpf::compiler
