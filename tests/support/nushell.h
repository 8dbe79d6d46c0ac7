// Runs the real Nushell (`nu`) that tools/setup.sh installs: its parser over
// probe files through `nu --ide-check`, and its evaluator on expressions.
#pragma once

#include <string>
#include <vector>

#include "tests/support/subprocess.h"

namespace nubpf::testing {

// The message for a test that needs `nu` when NuPath() is empty.
inline constexpr char kNuMissing[] =
    "nu was not found when CMake configured this build, or is gone since; "
    "run tools/setup.sh, which installs Nushell into .tools/, then configure "
    "again";

// Path of `nu` as CMake found it, or empty when CMake found none or the
// file is no longer executable.
std::string NuPath();

// One diagnostic of `nu --ide-check`, placed in the file that was checked.
struct NuDiagnostic {
  std::string file;      // as the caller named it
  int line = 0;          // 1-based; 0 when the span lies outside the file
  int column = 0;        // 1-based byte column
  std::string outside;   // where the span lies when `line` is 0
  std::string severity;  // as nu spells it: "Error", "Warning"
  std::string message;
};

struct NuCheckResult {
  // Set when nu could not check the file: it failed to start or exit, or
  // printed something that is not a JSON line.
  std::string failure;
  // Sorted by line and column, without repeats (nu reports some twice).
  std::vector<NuDiagnostic> diagnostics;
};

// Checks `source`, the text of a probe file, with Nushell's parser and the
// command signatures in tools/nubpf/mod.nu. A file that does not `use nubpf`
// is checked as if it began with `use nubpf *`. `name` is the file name that
// diagnostics carry, such as samples/syscount.nu or docs/language.md, and
// `first_line` the line that `source` starts on in that file.
NuCheckResult CheckWithNushell(const std::string& source, const std::string& name,
                               int first_line = 1);

// Evaluates one Nushell expression with `nu -c` and returns its value as
// compact JSON on stdout (`7`, `true`, `"-7"`), or nu's error on stderr.
RunResult EvaluateWithNushell(const std::string& expression);

// Returns the errors of `result` as `file:line:col: message` lines, with
// the failure first if there is one; empty when nu found no error.
std::string FormatNuErrors(const NuCheckResult& result);

}  // namespace nubpf::testing
