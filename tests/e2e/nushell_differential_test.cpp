// Differential test against Nushell: each expression in the table is
// evaluated by the real `nu` and by a compiled probe, and the two values
// must be equal. The probe sends one event per expression when a child
// process named nubpf-diff calls getppid(2).

#include <map>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/nushell.h"
#include "tests/support/probe_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

// Integer and bool expressions in Nushell syntax, one per line. To cover
// another operator, add lines here.
constexpr const char* kExpressions[] = {
    "1 + 2 * 3",
    "(1 + 2) * 3",
    "10 - 3 - 2",
    "2 * 3 + 4 * 5",
    "1 + 2 * 3 - 4 * 5 + 6",
    "(2 - 5) * (0 - 3)",
    "0 - 7",
    "-7 * 3",
    "100 - 250",
    "1_000 * 1_000",
    "0x10 + 0o10 + 0b10",
    "9223372036854775807 - 1",
    "-9223372036854775807 - 1",
    "3 < 5",
    "5 <= 5",
    "5 > 3",
    "3 >= 4",
    "4 == 4",
    "4 != 4",
    "-1 < 0",
    "1 + 2 == 3",
    "true == false",
    "true and false",
    "true or false",
    "not true",
    "not (1 > 2)",
    "1 < 2 and 3 < 4",
    "true or false and false",
    "(true or false) and false",
    "not false and false",
    "not false or true",
    "\"Hello World\" | str downcase",
    "\"Hello\" | str upcase",
    "\"Hello World\" | str lowercase",
    "\"Hello\" | str uppercase",
    "\"hello world\" | str substring (2 * 1)..(3 + 1)",
    "\"hello\" | str length",
    "\"\" | str length",
    "\"hello\" | str contains \"ell\"",
    "\"hello\" | str contains \"elk\"",
    "\"HeLLo\" | str contains --ignore-case \"ell\"",
    "\"HeLLo\" | str contains -i \"ell\"",
    "\"HeLLo\" | str starts-with -i \"he\"",
    "\"hello\" | str starts-with \"he\"",
    "\"hello\" | str starts-with \"hello!\"",
    "\"hello\" | str ends-with \"lo\"",
    "\"hello\" | str ends-with \"he\"",
    "\"42\" | into int",
    "\"-17\" | into int",
    "123 | into string",
    "\"a\" == \"a\"",
    "(\"ab\" | str upcase) == \"AB\"",
    "7 // 2",
    "-7 // 2",
    "7 // -2",
    "-7 mod 3",
    "7 mod -3",
    "(\"-7\" | into int) // 2",
    "(\"-7\" | into int) mod 3",
    "(\"7\" | into int) mod -3",
    "(\"-9\" | into int) // (\"2\" | into int)",
    "(\"6\" | into int) // (\"-3\" | into int)",
    "0xf0 bit-and 0x3c",
    "0xf0 bit-or 0x0f",
    "0xff bit-xor 0x0f",
    "1 bit-shl 10",
    "-16 bit-shr 2",
    "(\"-16\" | into int) bit-shr 2",
    "(\"3\" | into int) bit-shl 4",
    "true xor false",
    "true xor true",
    "1 + 2 bit-shl 3",
    "\"hello\" | str substring 1..3",
    "\"hello\" | str substring 1..<3",
    "\"hello\" | str substring 2..",
    "\"hello\" | str substring 3..10",
    "\"hello\" | str substring 7..9",
    "\"hello\" | str upcase | str substring 0..1",
    "2 ** 10",
    "1 + 2 ** 10",
    "2 ** 2 ** 3",
    "(-3) ** 3",
    "(\"3\" | into int) ** 3",
    "(\"-3\" | into int) ** 3",
    "(\"7\" | into int) ** 0",
    "(\"2\" | into int) ** 62",
    "(\"5\" | into int) ** 1",
    "3 in [1 2 3]",
    "(\"3\" | into int) in [1 2 3]",
    "(\"4\" | into int) in [1 2 3]",
    "(\"4\" | into int) not-in [1 2 3]",
    "(\"4\" | into int) in []",
    "true in [false]",
    "\"a\" in {a: 1}",
    "(\"B\" | str downcase) in {a: 1, b: 2}",
    "(\"c\" | str downcase) not-in {a: 1, b: 2}",
    "(\"b\" | str downcase) in [\"a\" \"b\"]",
    "(\"c\" | str downcase) in [\"a\" \"b\"]",
    "(\"x\" | str upcase) in [\"a\" \"X\"]",
    "5 in 1..10",
    "(\"5\" | into int) in 1..10",
    "(\"10\" | into int) in 1..<10",
    "(\"9\" | into int) in 1..<10",
    "(\"0\" | into int) in 1..10",
    "(\"5\" | into int) in 10..1",
    "(\"4\" | into int) in 5..<3",
    "(\"3\" | into int) in 5..<3",
    "(\"5\" | into int) in 1..3..9",
    "(\"4\" | into int) in 1..3..9",
    "(\"11\" | into int) in 1..3..9",
    "(\"-3\" | into int) in 1..-1..-9",
    "(\"-4\" | into int) in 1..-1..-9",
    "(\"7\" | into int) in 5..",
    "(\"7\" | into int) not-in 1..5",
    "\"ab\" in \"cabd\"",
    "\"ab\" in (\"XABY\" | str downcase)",
    "\"ab\" not-in (\"XAY\" | str downcase)",
    "\"abc\" starts-with \"ab\"",
    "(\"abc\" | str downcase) starts-with \"ab\"",
    "(\"abc\" | str downcase) starts-with \"b\"",
    "(\"abc\" | str downcase) ends-with \"bc\"",
    "(\"abc\" | str downcase) ends-with \"ab\"",
    "\"abc\" =~ \"b\"",
    "(\"abc\" | str downcase) =~ \"b\"",
    "(\"abc\" | str downcase) =~ \"^b\"",
    "(\"abc\" | str downcase) =~ \"^ab\"",
    "(\"abc\" | str downcase) =~ \"bc$\"",
    "(\"abc\" | str downcase) =~ \"^abc$\"",
    "(\"abcd\" | str downcase) =~ \"^abc$\"",
    "(\"a.c\" | str downcase) =~ \"a\\\\.c\"",
    "(\"abc\" | str downcase) =~ \"a\\\\.c\"",
    "(\"ABC\" | str upcase) =~ \"(?i)^ab\"",
    "(\"ABC\" | str upcase) =~ \"(?i)^abc$\"",
    "(\"ABC\" | str upcase) !~ \"(?i)bc$\"",
    "(\"abc\" | str downcase) !~ \"b\"",
    "(\"abc\" | str downcase) !~ \"x$\"",
    "[1 2 3].1",
    "[1 2 3] | get 2",
    "[1 2 3] | length",
    "[] | length",
    "[1 2 3] | first",
    "[1 2 3] | last",
    "[1 2 3] | first 2 | last",
    "[1 2 3] | last 2 | first",
    "[[1 2] [3]].0.1",
    "[1 2 3].5? | default 9",
    "[] | first | default 4",
    "[(\"3\" | into int) 4] | get 0",
    "[{a: 1} {a: 2}].a.1",
    "{a: {b: 2}} | get a.b",
    "{a: {b: 2}}.a.b",
    "{a: 1, b: 2} | get a b | last",
    "[1 2] == [1 2]",
    "[1 2] == [1 2 3]",
    "[1 \"a\"] != [1 \"a\"]",
    "[] == []",
    "[(\"1\" | into int) 2] == [1 2]",
    "[(\"1\" | into int) 2] == [1 3]",
    "{a: 1, b: 2} == {b: 2, a: 1}",
    "{a: (\"x\" | str upcase)} != {a: \"X\"}",
    "{a: 1} == {b: 1}",
    "[1] == 1",
    "{a: 1} == null",
    "{a: 1} | get -o b | default 7",
    "{a: 1} | get --optional a",
    "{a: 1}.b? == null",
    "{a: 1}.a? == null",
    "{x: 1}.a?.b == null",
    "null == null",
    "null != 3",
    "5 | default 3",
    "null | default 3",
    "{a: null, b: 2} | default 0 a | get a",
    "(\"6\" | into int) | default 3",
};

// Expressions on which nubpfc and Nushell disagree today, each with part of
// what Nushell gives (its JSON, or its error) and the reason. The test
// expects them to differ, so a fix makes it fail: then move the expression
// into kExpressions.
struct KnownDifference {
  const char* expression;
  const char* nushell_gives;
  const char* reason;
};
constexpr KnownDifference kKnownDifferences[] = {
    {"9223372036854775807 + 1", "operator_overflow",
     "Nushell raises an overflow error, but nubpfc wraps like C"},
    {"(\"2\" | into int) ** 64", "operator_overflow",
     "Nushell raises an overflow error, but `**` multiplies and wraps like C"},
};

constexpr char kChildComm[] = "nubpf-diff";

// Returns a probe that sends `{eN: (EXPRESSION)}` for expression N.
std::string ProbeFor(const std::vector<std::string>& expressions) {
  std::string source = "probe tracepoint:syscalls:sys_enter_getppid {|e|\n";
  source += "    if $e.comm == \"" + std::string(kChildComm) + "\" {\n";
  for (size_t i = 0; i < expressions.size(); ++i) {
    source += "        emit {e" + std::to_string(i) + ": (" + expressions[i] + ")}\n";
  }
  return source + "    }\n}\n";
}

// Compiles a probe for `expressions`, runs it and triggers it once, and
// stores the value sent for each expression in `values` by index. Failures
// go to gtest.
void RunProbe(const std::vector<std::string>& expressions,
              std::map<size_t, nlohmann::json>* values) {
  ProbeRun run = RunProbeForChild(ProbeFor(expressions), kChildComm, expressions.size());
  EXPECT_EQ(run.error, "");
  std::string error;
  *values = ValuesByIndex(run.lines, &error);
  EXPECT_EQ(error, "");
}

// Nushell's value of `expression` as JSON, or a string that starts with
// "nu error: " when nu raised an error.
nlohmann::json NushellValue(const std::string& expression) {
  RunResult run = EvaluateWithNushell(expression);
  if (run.exit_code != 0) return "nu error: " + run.err;
  nlohmann::json value = nlohmann::json::parse(run.out, nullptr, false);
  if (value.is_discarded()) return "nu error: not JSON: " + run.out;
  return value;
}

TEST(NushellDifferential, ProbeMatchesNushell) {
  ASSERT_FALSE(NuPath().empty()) << kNuMissing;
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  std::vector<std::string> expressions(std::begin(kExpressions),
                                       std::end(kExpressions));
  std::map<size_t, nlohmann::json> values;
  RunProbe(expressions, &values);

  for (size_t i = 0; i < expressions.size(); ++i) {
    const std::string& expression = expressions[i];
    nlohmann::json expected = NushellValue(expression);
    ASSERT_EQ(values.count(i), 1u) << "no event for `" << expression << "`";
    EXPECT_EQ(values[i], expected) << "for the expression `" << expression << "`";
  }
}

TEST(NushellDifferential, KnownDifferencesStillDiffer) {
  ASSERT_FALSE(NuPath().empty()) << kNuMissing;
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  std::vector<std::string> expressions;
  for (const KnownDifference& difference : kKnownDifferences) {
    expressions.push_back(difference.expression);
  }
  std::map<size_t, nlohmann::json> values;
  RunProbe(expressions, &values);

  for (size_t i = 0; i < expressions.size(); ++i) {
    nlohmann::json expected = NushellValue(expressions[i]);
    EXPECT_NE(expected.dump().find(kKnownDifferences[i].nushell_gives),
              std::string::npos)
        << "Nushell gives " << expected << " for `" << expressions[i] << "`";
    ASSERT_EQ(values.count(i), 1u) << "no event for `" << expressions[i] << "`";
    EXPECT_NE(values[i], expected)
        << "`" << expressions[i] << "` now gives " << values[i]
        << " in both; move it to kExpressions. It differed because: "
        << kKnownDifferences[i].reason;
  }
}

}  // namespace
}  // namespace nubpf::testing
