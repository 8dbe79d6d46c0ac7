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
  TargetEnvironment environment(options.tracefs_root, options.btf_path, options.inputs,
                                options.btf);
  std::set<std::string> function_names;
  bool ok = true;

  // Top-level constants are literals and operators on them, which every
  // probe checks where it reads them. `use` declarations only name
  // commands for Nushell, so they are ignored.
  Constants constants;
  auto add_constant = [&](const frontend::LetStmt& constant) {
    auto is_constant = [&](const std::string& name) { return constants.count(name) > 0; };
    if (!IsCompileTimeConstant(*constant.value, is_constant)) {
      diagnostics.Error(constant.value->span,
                        "the value of `const " + constant.name +
                            "` is not known at compile time",
                        "use literals, operators and earlier constants");
      ok = false;
      return;
    }
    constants[constant.name] = constant.value.get();
  };
  for (const auto& constant : file.constants) add_constant(*constant);
  for (const frontend::DefDecl& def : file.defs) {
    if (def.name != "main") continue;
    // The parser lets `def main` hold only probes and `const` statements;
    // its constants serve every probe, as the top-level ones do.
    for (const frontend::StmtPtr& statement : def.body.statements) {
      add_constant(static_cast<const frontend::LetStmt&>(*statement));
    }
  }

  ok = CheckGlobals(file, constants, diagnostics, out) && ok;
  for (const frontend::DefDecl& def : file.defs) {
    if (def.name != "main") continue;
    ok = CheckParameters(def, constants, options.max_string_length, diagnostics, out) && ok;
  }

  // Other commands are inlined where a probe calls them. Their signatures
  // are checked once here, and their bodies at each call.
  Defs defs;
  for (const frontend::DefDecl& def : file.defs) {
    if (def.name == "main") continue;
    ok = CheckDefSignature(def, constants, diagnostics) && ok;
    defs.emplace(def.name, &def);
  }

  for (const frontend::ProbeDecl& probe : file.probes) {
    std::vector<ProbeTarget> targets;
    if (!ResolveProbeTargets(probe.target, probe.target_span, environment,
                             diagnostics, &targets)) {
      ok = false;
      continue;
    }

    // A wildcard gives one program per match, each checking the closure
    // against its own target's fields.
    for (const ProbeTarget& target : targets) {
      mir::Function function;
      function.name = UniqueName(target.name, &function_names);
      function.section = target.section;
      function.attach = target.attach;
      function.target = target.text;
      function.span = probe.span;
      if (target.is_fallback) out->functions.back().attach.fallback = function.name;
      out->functions.push_back(std::move(function));

      ProbeChecker checker(probe, target, options, environment, constants, defs,
                           diagnostics, out, &out->functions.back());
      ok = checker.Run() && ok;
    }
  }
  AssignAggregationNames(out);
  ok = FinishStores(out, diagnostics) && ok;
  if (ok && file.probes.empty()) {
    diagnostics.Error(frontend::Span{0, 0}, "this file has no probes",
                      "add one, such as `probe "
                      "tracepoint:syscalls:sys_enter_openat {|e| count }`");
    return false;
  }
  return ok && !diagnostics.has_errors();
}

}  // namespace nubpf::compiler
