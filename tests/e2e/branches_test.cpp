// `if` and `match` in a probe, as values and as statements, give the
// values Nushell gives for the same code. In the probe, `N(x)` becomes
// `($e.pid * 0 + x)` and `COMM` becomes `$e.comm`, so that the values are
// known only when the program runs. For Nushell they are `x` and the
// child's name. Nushell reads a bare `-11` after `match` as a flag, so
// numbers go in parentheses.

#include <regex>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/nushell.h"
#include "tests/support/probe_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr char kChildComm[] = "nubpf-branch";

// A `match` with every kind of pattern, applied to each of kMatchInputs.
constexpr char kIntegerMatch[] =
    "match N(VALUE) { 0 => \"zero\", 1 | 2 => \"one-two\", 3..5 => \"three-five\", "
    "7..<9 => \"seven-eight\", 10..12..20 => \"even-teens\", "
    "-10..-1 => \"negative\", 30..25 => \"twenties\", "
    "$x if $x > 50 => \"big\", _ => \"other\" }";
constexpr int kMatchInputs[] = {-11, -10, -1, 0, 1, 2, 3, 5, 6, 7, 8, 9,
                                10,  11,  12, 19, 20, 25, 27, 31, 50, 51};

// Statements before the record; the record's fields are the results.
constexpr char kStatements[] =
    "mut name = \"\"\n"
    "$name = COMM\n"
    "let first = $name\n"
    "$name = \"changed\"\n"
    "mut hits = 0\n"
    "match N(4) { 1..3 => { $hits += 1 }, 4 => { $hits += 10 }, _ => { $hits += 100 } }\n"
    "match N(9) { 1..3 => { $hits += 1 } }\n"
    "if N(2) > 1 { $hits += 1000 }\n";
constexpr char kFields[] =
    "size: (if N(3) > 2 { \"big\" } else { \"small\" }), "
    "chain: (if N(1) == 0 { 10 } else if N(1) == 1 { 20 } else { 30 }), "
    "longer: (if N(1) == 1 { COMM } else { \"a string longer than comm\" }), "
    "shorter: (if N(1) == 0 { COMM } else { \"ab\" }), "
    "by_name: (match COMM { \"bash\" => 2, \"" "nubpf-branch" "\" => 1, _ => 3 }), "
    "alternative: (match COMM { \"x\" | \"" "nubpf-branch" "\" => \"alt\", _ => \"no\" }), "
    "flag: (match (N(1) == 1) { true => \"t\", false => \"f\" }), "
    "nested: (if N(5) > 2 { match N(5) { 5 => \"five\", _ => \"?\" } } else { \"low\" }), "
    "first: $first, name: $name, hits: $hits";

std::string Substitute(std::string text, bool for_probe) {
  text = std::regex_replace(text, std::regex("N\\((-?[0-9]+)\\)"),
                            for_probe ? "($$e.pid * 0 + $1)" : "($1)");
  return std::regex_replace(
      text, std::regex("COMM"),
      for_probe ? "$$e.comm" : "\"" + std::string(kChildComm) + "\"");
}

std::string Fields() {
  std::string fields = kFields;
  for (int input : kMatchInputs) {
    std::string match = std::regex_replace(kIntegerMatch, std::regex("VALUE"),
                                           std::to_string(input));
    std::string name = input < 0 ? "m_minus_" + std::to_string(-input)
                                 : "m_" + std::to_string(input);
    fields += ", " + name + ": (" + match + ")";
  }
  return fields;
}

TEST(Branches, ProbeMatchesNushell) {
  ASSERT_FALSE(NuPath().empty()) << kNuMissing;
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";

  std::string script = Substitute(kStatements, false) + "{" +
                       Substitute(Fields(), false) + "}";
  for (char& c : script) {
    if (c == '\n') c = ';';
  }
  RunResult nushell = EvaluateWithNushell(script);
  ASSERT_EQ(nushell.exit_code, 0) << nushell.err;
  nlohmann::json expected = nlohmann::json::parse(nushell.out);

  std::string text = "probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
                     "if $e.comm == \"" + std::string(kChildComm) + "\" {\n" +
                     Substitute(kStatements, true) + "emit {" +
                     Substitute(Fields(), true) + "}\n}\n}\n";
  ProbeRun run = RunProbeForChild(text, kChildComm);
  ASSERT_EQ(run.error, "");
  nlohmann::json actual = nlohmann::json::parse(run.lines[0]);
  for (auto& [key, value] : expected.items()) {
    EXPECT_EQ(actual[key], value) << "field " << key;
  }
  EXPECT_EQ(actual.size(), expected.size()) << run.lines[0];
}

}  // namespace
}  // namespace nubpf::testing
