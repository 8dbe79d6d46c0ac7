#include "frontend/not_in_probe.h"

#include <string>

namespace nubpf::frontend {
namespace {

struct Entry {
  // The construct, with `{}` for the name of a command or operator.
  const char* description;
  const char* because;
  const char* help;
};

Entry Describe(NotInProbe construct) {
  switch (construct) {
    case NotInProbe::kFloat:
      return {"floating-point numbers", "BPF programs have no floating point",
              "use an integer; for a fraction of a unit, use a smaller unit, "
              "such as `1500ms` for 1.5 seconds"};
    case NotInProbe::kEnvironment:
      return {"`$env`",
              "a probe runs in the kernel, where there is no shell "
              "environment",
              "write the value as a constant at the top of the file, as in "
              "`const PATH = \"/etc/passwd\"`"};
    case NotInProbe::kExternalCommand:
      return {"the external command `^{}`",
              "a probe runs in the kernel and cannot start programs",
              "run the program in your shell and write what you need as a "
              "constant at the top of the file"};
    case NotInProbe::kClosureValue:
      return {"closures as values",
              "BPF programs cannot store code or call it later",
              "write the code in place, or define a command with `def`"};
    case NotInProbe::kClosureCommand:
      return {"`{}` with a closure",
              "BPF programs cannot call a closure for each element",
              "loop over the values with `for x in ... { }` and test each "
              "one with `if`"};
    case NotInProbe::kDefEnv:
      return {"`def --env`", "a probe has no shell environment to change",
              "remove `--env`"};
    case NotInProbe::kDefWrapped:
      return {"`def --wrapped`",
              "wrapped commands pass their arguments to external commands, "
              "which a probe cannot run",
              "remove `--wrapped` and declare each parameter"};
    case NotInProbe::kSource:
      return {"`{}`",
              "a probe file is compiled on its own, without other scripts",
              "copy the definitions into this file"};
    case NotInProbe::kOverlay:
      return {"`overlay`",
              "overlays change the scope of a running shell, and a probe "
              "runs in the kernel",
              "write `use nubpf *` at the top of the file to name the probe "
              "commands"};
    case NotInProbe::kConcatenation:
      return {"concatenation with `{}`",
              "BPF programs cannot grow a string or a list at run time",
              "build a string with interpolation, as in `$\"($a)($b)\"`"};
    case NotInProbe::kTry:
      return {"`try`", "BPF programs have no errors to catch",
              "check the values with `if` before using them"};
    case NotInProbe::kDo:
      return {"`do`", "BPF programs cannot call closures",
              "write the statements in place"};
    case NotInProbe::kTopLevelStatement:
      return {"`{}` outside a probe",
              "only probe bodies run, in the kernel, when their event fires",
              "move it into a probe body, or use `const` for a value known "
              "when compiling"};
  }
  return {"this construct", "BPF programs cannot run it", ""};
}

struct Command {
  std::string_view name;
  NotInProbe construct;
};

constexpr Command kCommands[] = {
    {"do", NotInProbe::kDo},
    {"try", NotInProbe::kTry},
    {"source", NotInProbe::kSource},
    {"source-env", NotInProbe::kSource},
    {"overlay", NotInProbe::kOverlay},
    {"each", NotInProbe::kClosureCommand},
    {"par-each", NotInProbe::kClosureCommand},
    {"where", NotInProbe::kClosureCommand},
    {"filter", NotInProbe::kClosureCommand},
    {"reduce", NotInProbe::kClosureCommand},
    {"any", NotInProbe::kClosureCommand},
    {"all", NotInProbe::kClosureCommand},
    {"items", NotInProbe::kClosureCommand},
};

}  // namespace

Diagnostic& ReportNotInProbe(DiagnosticSink& diagnostics, Span span,
                             NotInProbe construct, std::string_view name) {
  Entry entry = Describe(construct);
  std::string description = entry.description;
  size_t placeholder = description.find("{}");
  if (placeholder != std::string::npos) {
    description.replace(placeholder, 2, std::string(name));
  }
  return diagnostics.Error(
      span,
      "not supported in a probe: " + description + ", because " + entry.because,
      entry.help);
}

bool CommandNotInProbe(std::string_view name, NotInProbe* construct) {
  for (const Command& command : kCommands) {
    if (command.name != name) continue;
    *construct = command.construct;
    return true;
  }
  return false;
}

}  // namespace nubpf::frontend
