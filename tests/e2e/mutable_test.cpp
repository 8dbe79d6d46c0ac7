// `mut`, assignments and `const` in a probe give the values Nushell gives
// for the same statements. The probe runs for a child with a known name,
// whose pid is above 1, so `$e.pid > 1` stands for Nushell's `2 > 1`.

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/nushell.h"
#include "tests/support/probe_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr char kChildComm[] = "nubpf-mut";

// The statements, with CONDITION where the probe tests its record.
constexpr char kStatements[] =
    "mut n: int = 10\n"
    "mut big = false\n"
    "if CONDITION { $n += 5 } else { $n -= 1 }\n"
    "$n *= 3\n"
    "if $n > 40 { $big = true }\n"
    "const STEP = 7\n"
    "let fixed: int = $n + $STEP\n";
constexpr char kResult[] = "{n: $n, big: $big, fixed: $fixed, half: $HALF}";

std::string WithCondition(std::string text, const std::string& condition) {
  for (size_t at = text.find("CONDITION"); at != std::string::npos;
       at = text.find("CONDITION")) {
    text.replace(at, 9, condition);
  }
  return text;
}

TEST(Mutable, ProbeMatchesNushell) {
  ASSERT_FALSE(NuPath().empty()) << kNuMissing;
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";

  std::string script = "const LIMIT = 1024; const HALF = $LIMIT // 2; " +
                       WithCondition(kStatements, "2 > 1") + kResult;
  for (char& c : script) {
    if (c == '\n') c = ';';
  }
  RunResult nushell = EvaluateWithNushell(script);
  ASSERT_EQ(nushell.exit_code, 0) << nushell.err;
  nlohmann::json expected = nlohmann::json::parse(nushell.out);

  std::string text = "const LIMIT = 1024\nconst HALF = $LIMIT // 2\n"
                     "probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
                     "if $e.comm == \"" + std::string(kChildComm) + "\" {\n" +
                     WithCondition(kStatements, "$e.pid > 1") + "emit " + kResult +
                     "\n}\n}\n";
  ProbeRun run = RunProbeForChild(text, kChildComm);
  ASSERT_EQ(run.error, "");
  EXPECT_EQ(nlohmann::json::parse(run.lines[0]), expected) << run.lines[0];
}

}  // namespace
}  // namespace nubpf::testing
