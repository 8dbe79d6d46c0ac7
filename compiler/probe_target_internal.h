// The resolvers of each probe family, which probe_target.cpp dispatches
// to. Each appends one ProbeTarget per match to `out`, or reports an error
// and returns false.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "compiler/probe_target.h"

namespace nubpf::compiler {

// Offsets in x86-64 `struct pt_regs` of the registers that carry the
// first six integer arguments (di, si, dx, cx, r8, r9, as the System V ABI
// passes them) and the return value (ax): where kprobes and uprobes read
// them.
inline constexpr uint32_t kArgumentRegisterOffsets[] = {112, 104, 96, 88, 72, 64};
inline constexpr uint32_t kReturnRegisterOffset = 80;

// Splits a target at its colons: `uprobe:/bin/bash:readline` gives
// `uprobe`, `/bin/bash`, `readline`.
std::vector<std::string> SplitTarget(const std::string& text);

// Calls `resolve` on each of `names` that `pattern` matches. `what` names
// one candidate in messages ("tracepoint", "kernel function").
bool ExpandWildcard(const std::string& pattern, const std::vector<std::string>& names,
                    const std::string& what, frontend::Span span,
                    frontend::DiagnosticSink& diagnostics,
                    const std::function<bool(const std::string&)>& resolve);

// tracepoint_target.cpp
bool ResolveTracepoints(const std::vector<std::string>& parts, frontend::Span span,
                        TargetEnvironment& environment,
                        frontend::DiagnosticSink& diagnostics,
                        std::vector<ProbeTarget>* out);

// kernel_function_target.cpp
bool ResolveBtfTracepoints(const std::vector<std::string>& parts, ProbeFamily family,
                           frontend::Span span, TargetEnvironment& environment,
                           frontend::DiagnosticSink& diagnostics,
                           std::vector<ProbeTarget>* out);
bool ResolveKernelFunctions(const std::vector<std::string>& parts, ProbeFamily family,
                            frontend::Span span, TargetEnvironment& environment,
                            frontend::DiagnosticSink& diagnostics,
                            std::vector<ProbeTarget>* out);
bool ResolveKernelFunction(const std::string& name, frontend::Span span,
                           TargetEnvironment& environment,
                           frontend::DiagnosticSink& diagnostics,
                           std::vector<ProbeTarget>* out);

// user_target.cpp
bool ResolveUprobes(const std::vector<std::string>& parts, ProbeFamily family,
                    frontend::Span span, TargetEnvironment& environment,
                    frontend::DiagnosticSink& diagnostics, std::vector<ProbeTarget>* out);
bool ResolveUsdt(const std::vector<std::string>& parts, frontend::Span span,
                 TargetEnvironment& environment, frontend::DiagnosticSink& diagnostics,
                 std::vector<ProbeTarget>* out);

}  // namespace nubpf::compiler
