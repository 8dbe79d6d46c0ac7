// Loops in a probe give the values Nushell gives for the same statements,
// at both optimisation levels, and `return` ends the probe early. The probe
// runs for a child with a known name; COMM stands for its `$e.comm`.

#include <signal.h>

#include <chrono>
#include <fstream>
#include <tuple>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/nushell.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kChildComm[] = "nubpf-loops";

// Groups of statements and the record of their results. Each group runs
// in a probe of its own, because at `-O 0` every value gets a stack slot
// and all of them together would not fit in the 512-byte stack.
struct Group {
  const char* name;
  const char* statements;
  const char* result;
};

constexpr Group kGroups[] = {
    {"Ranges",
     "mut sum = 0\n"
     "for x in 1..10 { $sum += $x }\n"
     "mut stepped = 0\n"
     "for x in 1..3..20 { $stepped = $stepped * 2 + $x }\n"
     "mut down = 0\n"
     "for x in 10..1 { $down = $down * 3 + $x }\n"
     "mut down_open = 0\n"
     "for x in 5..<1 { $down_open = $down_open * 10 + $x }\n"
     "mut down_stepped = 0\n"
     "for x in 9..7..<0 { $down_stepped = $down_stepped * 10 + $x }\n"
     "mut empty = 0\n"
     "for x in 3..<3 { $empty += 1 }\n",
     "{sum: $sum, stepped: $stepped, down: $down, down_open: $down_open, "
     "down_stepped: $down_stepped, empty: $empty}"},
    {"Jumps",
     "mut odd = 0\n"
     "for x in 0..<10 {\n"
     "  if $x == 7 { break }\n"
     "  if $x mod 2 == 0 { continue }\n"
     "  $odd = $odd * 10 + $x\n"
     "}\n"
     "mut nested = 0\n"
     "for x in 1..4 { for y in 1..3 { if $y == 2 { continue }; $nested += $x * $y } }\n"
     "mut i = 0\n"
     "mut squares = 0\n"
     "while $i < 10 { $squares += $i * $i; $i += 1 }\n"
     "mut j = 10\n"
     "mut counted = 0\n"
     "loop { if $j <= 0 { break }; $counted = $counted * 100 + $j; $j -= 3 }\n",
     "{odd: $odd, nested: $nested, squares: $squares, counted: $counted}"},
    {"Lists",
     "mut listed = 0\n"
     "for v in [3 5 7] { $listed = $listed * 10 + $v }\n"
     "mut lengths = 0\n"
     "for s in [\"a\" \"bb\" \"ccc\"] { $lengths = $lengths * 10 + ($s | str length) }\n"
     "mut found = 0\n"
     "for x in 0..<4 { if (COMM | str contains \"loops\") { $found += $x } }\n",
     "{listed: $listed, lengths: $lengths, found: $found}"},
};

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

class Loops
    : public ::testing::TestWithParam<std::tuple<const char*, Group>> {};

TEST_P(Loops, ProbeMatchesNushell) {
  ASSERT_FALSE(NuPath().empty()) << kNuMissing;
  ASSERT_TRUE(CanLoadBpf()) << "loading BPF programs needs root";
  const char* level = std::get<0>(GetParam());
  const Group& group = std::get<1>(GetParam());

  std::string quoted_comm = std::string("\"") + kChildComm + "\"";
  std::string script = Replace(group.statements, "COMM", quoted_comm) + group.result;
  RunResult nushell = EvaluateWithNushell(Replace(script, "\n", ";"));
  ASSERT_EQ(nushell.exit_code, 0) << nushell.err;
  nlohmann::json expected = nlohmann::json::parse(nushell.out);

  // After the result, a `return` inside a loop must keep the last `emit`
  // from running.
  TempDir dir;
  std::string source = dir.File("loops.nu");
  std::string object = dir.File("loops.bpf.o");
  std::ofstream(source) << "probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
                        << "if $e.comm == \"" << kChildComm << "\" {\n"
                        << Replace(group.statements, "COMM", "$e.comm") << "emit "
                        << group.result << "\n"
                        << "for x in 0..<5 { if $x == 3 { return } }\n"
                        << "emit {after_return: 1}\n"
                        << "}\n}\n";
  RunResult compiled = RunToExit({NubpfcPath(), "-O", level, source, "-o", object});
  ASSERT_EQ(compiled.exit_code, 0) << compiled.err;

  Subprocess run({NubpfRunPath(), object, "--format", "json"});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  ASSERT_TRUE(CallGetppidAs(kChildComm));
  std::optional<std::string> line = run.ReadLine(seconds(10));
  ASSERT_TRUE(line.has_value()) << run.stderr_text();
  EXPECT_EQ(nlohmann::json::parse(*line), expected) << *line;
  EXPECT_EQ(run.ReadLine(milliseconds(500)), std::nullopt);
  EXPECT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();
}

INSTANTIATE_TEST_SUITE_P(
    Probes, Loops,
    ::testing::Combine(::testing::Values("0", "2"), ::testing::ValuesIn(kGroups)),
    [](const auto& info) {
      return std::string(std::get<1>(info.param).name) + "O" + std::get<0>(info.param);
    });

// Loops at the limits the checker allows must still pass the verifier.
constexpr const char* kLimitProbes[] = {
    "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
    "  mut n = 0\n"
    "  for x in 0..<1024 {\n"
    "    if $x == $e.pid { emit {x: $x} }\n"
    "    if $x == $e.tid { emit {x: $x} }\n"
    "    if $x > $e.uid { $n += 1 }\n"
    "    if $x < $e.gid { $x | count }\n"
    "  }\n"
    "  emit {n: $n}\n"
    "}\n",
    "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
    "  mut n = 0\n"
    "  for x in 0..<32 { for y in 0..<32 { if $x * $y == $e.pid { $n += 1 } } }\n"
    "  emit {n: $n}\n"
    "}\n",
    "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
    "  mut n = 0\n"
    "  for x in 0..<9 { if ($e.filename | str contains \"tmp\") { $n += $x } }\n"
    "  emit {n: $n}\n"
    "}\n",
    // Each value `$n` may hold makes the verifier walk the string again.
    "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
    "  mut n = 0\n"
    "  for x in 0..<9 { if ($e.filename | str contains \"tmp\") { $n += 1 } }\n"
    "  emit {n: $n}\n"
    "}\n",
};

class LoopLimits
    : public ::testing::TestWithParam<std::tuple<const char*, const char*>> {};

TEST_P(LoopLimits, PassVerifier) {
  ASSERT_TRUE(CanLoadBpf()) << "loading BPF programs needs root";
  TempDir dir;
  std::string source = dir.File("limit.nu");
  std::string object = dir.File("limit.bpf.o");
  std::ofstream(source) << std::get<1>(GetParam());
  RunResult compiled =
      RunToExit({NubpfcPath(), "-O", std::get<0>(GetParam()), source, "-o", object});
  ASSERT_EQ(compiled.exit_code, 0) << compiled.err;

  Subprocess run({NubpfRunPath(), object, "--format", "json"});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(60))) << run.stderr_text();
  EXPECT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();
}

INSTANTIATE_TEST_SUITE_P(Probes, LoopLimits,
                         ::testing::Combine(::testing::Values("0", "2"),
                                            ::testing::ValuesIn(kLimitProbes)),
                         [](const auto& info) {
                           return std::string("O") + std::get<0>(info.param) +
                                  "Probe" + std::to_string(info.index % std::size(kLimitProbes));
                         });

}  // namespace
}  // namespace nubpf::testing
