// Valid Nushell that a probe cannot run. Each construct has one entry that
// describes it, why a BPF program cannot run it and what to write instead,
// so the parser reports
//
//   not supported in a probe: floating-point numbers, because BPF programs
//   have no floating point
//   help: use an integer; ...
//
// rather than a syntax error for code that Nushell itself accepts.
#pragma once

#include <string_view>

#include "frontend/diagnostics.h"

namespace nubpf::frontend {

enum class NotInProbe {
  kFloat,              // 1.5
  kEnvironment,        // $env.HOME
  kExternalCommand,    // ^ls
  kClosureValue,       // let f = {|x| $x + 1}
  kClosureCommand,     // $list | each {|x| ... }
  kDefEnv,             // def --env
  kDefWrapped,         // def --wrapped
  kSource,             // source file.nu
  kOverlay,            // overlay use
  kConcatenation,      // $a ++ $b
  kTry,                // try { } catch { }
  kDo,                 // do { }
  kTopLevelStatement,  // let x = 1 outside a probe
};

// Reports `construct` at `span`. `name` replaces `{}` in the entry's
// description, as the command in "`each` with a closure".
Diagnostic& ReportNotInProbe(DiagnosticSink& diagnostics, Span span,
                             NotInProbe construct, std::string_view name = "");

// Returns the construct that the command `name` stands for, such as kDo for
// `do` and kClosureCommand for `each`, or false for a command that a probe
// may call.
bool CommandNotInProbe(std::string_view name, NotInProbe* construct);

}  // namespace nubpf::frontend
