// `def` commands, compared with Nushell: the same commands are defined in a
// probe file and in a `nu -c` script, and each expression that calls them
// must give the same value in both. `$e` is the probe record in the probe
// and a record with the same `comm` in Nushell.

#include <map>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/nushell.h"
#include "tests/support/probe_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr char kChildComm[] = "nubpf-defs";

// Commands with positional parameters, defaults, flags, switches, `$in`,
// early returns, a final `if`, constants and calls between commands.
constexpr char kDefs[] = R"(const K = 5
def double [x: int] { $x * 2 }
def scale [x: int, factor: int = 3, --offset: int = 10, --negate] {
    if $negate { return (0 - ($x * $factor + $offset)) }
    $x * $factor + $offset
}
def shout [] { $in | str upcase }
def label [x: int] {
    if $x < 0 { return "negative" }
    if $x == 0 { "zero" } else { "positive" }
}
def kind [x: int] { if $x > 100 { "big" } else { "small" } }
def bump [n: int] {
    mut s = 0
    if $n > 1 { $s = 5 }
    $s
}
def bump-sum [] {
    mut total = 0
    for x in 0..<4 { $total += (bump $x) }
    $total
}
def size-name [n: int] { match $n { 0 => "zero", 1..9 => "small", _ => "big" } }
def tag [n: int] {
    let r = if $n > 1 { "empty" } else { "long" }
    $r
}
def name-length [ev: record] { $ev.comm | str length }
def sign [n: int] {
    if $n < 0 { return (0 - 1) }
    if $n == 0 { return 0 }
    1
}
def is-big [n: int, --limit: int = $K] { $n > $limit }
def twice-length [] { ($in | str length) * 2 }
def add-k [x] { $x + $K }
def quadruple [x: int] { double (double $x) }
def plus-one [] { $in + 1 }
def compare [a: int, b: int] {
    if $a < $b { -1 } else if $a == $b { 0 } else { 1 }
}
def within [n: int, --low: int = 0, --high: int = 100] {
    if $n < $low { false } else { $n <= $high }
}
def pick [a: int, b?: int, --second (-s)] {
    if $second { return $b }
    $a
}
)";

constexpr const char* kExpressions[] = {
    "double 21",
    "scale 2",
    "scale 2 4",
    "scale 2 --offset 1",
    "scale 2 4 --negate",
    "scale 2 --negate --offset 0",
    "\"abc\" | shout",
    "$e.comm | shout",
    "name-length $e",
    "label (0 - 5)",
    "label 0",
    "label 7",
    "bump 0",
    "bump 3",
    "bump-sum",
    "size-name 0",
    "size-name 5",
    "size-name 50",
    "tag 0",
    "tag 9",
    "kind 500",
    "kind 5",
    "sign -5",
    "sign 0",
    "sign 9",
    "is-big 6",
    "is-big 6 --limit 10",
    "\"hello\" | twice-length",
    "$e.comm | twice-length",
    "add-k 1",
    "quadruple 3",
    "41 | plus-one",
    "double ($e.comm | str length)",
    "pick 1 2",
    "pick 1 2 --second",
    "pick 1 2 -s",
    "scale 2 --offset=1",
    "compare 1 2",
    "compare 2 2",
    "compare ($e.comm | str length) 3",
    "within 50",
    "within -3",
    "within 150 --high 200",
};

// Compiles a probe that sends `{eN: (EXPRESSION)}` for expression N when
// the child calls getppid(2), runs it, and stores each value by index.
void RunProbe(std::map<size_t, nlohmann::json>* values) {
  std::string text = std::string("use nubpf *\n") + kDefs +
                     "probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
                     "    if $e.comm == \"" + kChildComm + "\" {\n";
  for (size_t i = 0; i < std::size(kExpressions); ++i) {
    text += "        emit {e" + std::to_string(i) + ": (" + kExpressions[i] + ")}\n";
  }
  text += "    }\n}\n";

  ProbeRun run = RunProbeForChild(text, kChildComm, std::size(kExpressions));
  EXPECT_EQ(run.error, "");
  std::string error;
  *values = ValuesByIndex(run.lines, &error);
  EXPECT_EQ(error, "");
}

// Nushell's value of `expression` with the same commands, as JSON, or a
// string that starts with "nu error: ".
nlohmann::json NushellValue(const std::string& expression) {
  std::string script = std::string(kDefs) + "let e = {comm: \"" + kChildComm +
                       "\"}\n(" + expression + ") | to json --raw";
  RunResult run = RunToExit({NuPath(), "-n", "--no-std-lib", "-c", script});
  if (run.exit_code != 0) return "nu error: " + run.err;
  nlohmann::json value = nlohmann::json::parse(run.out, nullptr, false);
  if (value.is_discarded()) return "nu error: not JSON: " + run.out;
  return value;
}

TEST(DefCommands, ValuesMatchNushell) {
  ASSERT_FALSE(NuPath().empty()) << kNuMissing;
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  std::map<size_t, nlohmann::json> values;
  RunProbe(&values);

  for (size_t i = 0; i < std::size(kExpressions); ++i) {
    const std::string expression = kExpressions[i];
    nlohmann::json expected = NushellValue(expression);
    ASSERT_EQ(values.count(i), 1u) << "no event for `" << expression << "`";
    EXPECT_EQ(values[i], expected) << "for the expression `" << expression << "`";
  }
}

}  // namespace
}  // namespace nubpf::testing
