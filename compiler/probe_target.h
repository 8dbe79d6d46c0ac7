// Probe targets: `tracepoint:CATEGORY:NAME` resolved against the running
// kernel's tracefs. Other families are recognised so that they get a clear
// "not supported yet" error instead of a confusing one.
#pragma once

#include <string>

#include "compiler/target_environment.h"
#include "compiler/tracepoint_format.h"
#include "frontend/diagnostics.h"

namespace nubpf::compiler {

struct ProbeTarget {
  std::string category;
  std::string name;
  TracepointFormat format;
  // Tracepoints in the `syscalls` category describe system call arguments,
  // so their char pointers point into user memory.
  bool pointers_are_user = false;
};

// Resolves `text`, which is written at `span`. Returns false after reporting
// an error.
bool ResolveProbeTarget(const std::string& text, frontend::Span span,
                        TargetEnvironment& environment,
                        frontend::DiagnosticSink& diagnostics,
                        ProbeTarget* out);

}  // namespace nubpf::compiler
