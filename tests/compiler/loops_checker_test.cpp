// The checker on loops: the MIR a `for` becomes, the iterations it counts
// for `while` and `loop`, and when a `mut` value is known at compile time.

#include "compile_helpers.h"
#include "gtest/gtest.h"

namespace nubpf::testing {
namespace {

class LoopsChecker : public ::testing::Test {
 protected:
  CheckResult Check(const std::string& body) {
    return CheckText("probe tracepoint:syscalls:sys_exit_read {|e|\n" + body + "}\n",
                     tracefs_);
  }
  FakeTracefs tracefs_;
};

TEST_F(LoopsChecker, RangeLoopMir) {
  CheckResult result = Check(
      "    for x in 0..<3 {\n"
      "        if $x == 1 { continue }\n"
      "        $x | count\n"
      "    }\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_EQ(result.mir,
            "agg#0 count_by_x count words 1 key x: i64 +0 size 8 max 10240 drop#0\n"
            "\n"
            "fn sys_exit_read  section tracepoint/syscalls/sys_exit_read\n"
            "local#0: i64\n"
            "bb0:\n"
            "  %0: i64 = const 0\n"
            "  store local#0 %0\n"
            "  jump bb1\n"
            "bb1:\n"
            "  %1: i64 = load local#0\n"
            "  %2: i64 = const 3\n"
            "  %3: bool = lt %1, %2\n"
            "  branch %3, bb2, bb4\n"
            "bb2:\n"
            "  %4: i64 = load local#0\n"
            "  %5: i64 = const 1\n"
            "  %6: bool = eq %4, %5\n"
            "  branch %6, bb5, bb6\n"
            "bb3:\n"
            "  %8: i64 = load local#0\n"
            "  %9: i64 = const 1\n"
            "  %10: i64 = add %8, %9\n"
            "  store local#0 %10\n"
            "  jump bb1\n"
            "bb4:\n"
            "  return\n"
            "bb5:\n"
            "  jump bb3\n"
            "bb6:\n"
            "  %7: i64 = load local#0\n"
            "  aggregate agg#0 %7\n"
            "  jump bb3\n"
            "bb7:\n"
            "  jump bb6\n");
}

TEST_F(LoopsChecker, DescendingRangeTestsDown) {
  CheckResult result = Check("    for x in 5..1 { $x | count }\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("= ge %1, %2\n"), std::string::npos) << result.mir;
  EXPECT_NE(result.mir.find("%2: i64 = const 1\n"), std::string::npos) << result.mir;
  EXPECT_NE(result.mir.find("= const -1\n"), std::string::npos) << result.mir;
}

TEST_F(LoopsChecker, ListLoopUnrolls) {
  CheckResult result = Check("    for s in [\"a\" \"b\"] { $s | count }\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("\"a\""), std::string::npos) << result.mir;
  EXPECT_NE(result.mir.find("\"b\""), std::string::npos) << result.mir;
  EXPECT_EQ(result.mir.find("local#"), std::string::npos) << result.mir;
}

TEST_F(LoopsChecker, ListVariableLoopUnrolls) {
  CheckResult result = Check(
      "    let shells = {names: [\"sh\" \"bash\"]}\n"
      "    let names = $shells.names\n"
      "    for s in $names { if $e.comm == $s { count } }\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("str.eq %0, \"sh\""), std::string::npos) << result.mir;
  EXPECT_NE(result.mir.find("\"bash\""), std::string::npos) << result.mir;
}

TEST_F(LoopsChecker, LoopOverScalarIsError) {
  CheckResult result = Check("    for x in $e.ret { count }\n");
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.diagnostics.find("probe.nu:2:14: error: `for` in a probe needs a "
                                    "range or a list, because the verifier rejects "
                                    "loops it cannot bound, but this is an `i64`"),
            std::string::npos)
      << result.diagnostics;
}

TEST_F(LoopsChecker, ReturnEndsProbe) {
  CheckResult result = Check("    if $e.ret < 0 { return }\n    count\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("bb1:\n  return\n"), std::string::npos) << result.mir;
}

// Each row is a probe body and the error it gives, or "" when it compiles.
struct BoundCase {
  const char* name;
  const char* body;
  const char* error;
};

class LoopBounds : public LoopsChecker,
                   public ::testing::WithParamInterface<BoundCase> {};

TEST_P(LoopBounds, Accepts) {
  CheckResult result = Check(GetParam().body);
  if (std::string(GetParam().error).empty()) {
    EXPECT_TRUE(result.ok) << result.diagnostics;
    return;
  }
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.diagnostics.find(GetParam().error), std::string::npos)
      << result.diagnostics;
}

INSTANTIATE_TEST_SUITE_P(
    Checker, LoopBounds,
    ::testing::Values(
        BoundCase{"WhileCounter", "mut i = 0\nwhile $i < 1024 { $i += 1 }\n", ""},
        BoundCase{"WhileTooMany", "mut i = 0\nwhile $i < 1025 { $i += 1 }\n",
                  "this loop runs 1025 times"},
        BoundCase{"WhileDown", "mut i = 10\nwhile $i > 0 { $i -= 2 }\n", ""},
        BoundCase{"WhileNotEqualMisses", "mut i = 0\nwhile $i != 5 { $i += 2 }\n",
                  "never ends the loop"},
        BoundCase{"WhileAfterStraightStores",
                  "mut i = 0\n$i = 4\n$i += 1\nwhile $i <= 1028 { $i += 1 }\n", ""},
        BoundCase{"WhileStartFolded",
                  "mut i = 0\n$i = 2\n$i *= 3\nwhile $i < 1031 { $i += 1 }\n",
                  "this loop runs 1025 times"},
        BoundCase{"WhileAfterBranchStore",
                  "mut i = 0\nif $e.ret > 0 { $i = 3 }\nwhile $i < 5 { $i += 1 }\n",
                  "is not known at compile time"},
        BoundCase{"WhileCounterChangedByOuterLoop",
                  "mut i = 0\nfor x in 0..<3 {\nwhile $i < 5 { $i += 1 }\n}\n",
                  "is not known at compile time"},
        BoundCase{"WhileCounterInsideOuterLoop",
                  "for x in 0..<3 {\nmut i = 0\nwhile $i < 5 { $i += 1 }\n}\n", ""},
        BoundCase{"WhileConstLimit",
                  "const N = 4\nmut i = 0\nwhile $i < $N * 2 { $i += 1 }\n", ""},
        BoundCase{"ContinueAfterStep",
                  "mut i = 0\nwhile $i < 5 { $i += 1; if $e.ret > 0 { continue } }\n",
                  ""},
        BoundCase{"LoopBreakFirst",
                  "mut i = 0\nloop { if $i == 10 { break }; $i += 1 }\n", ""},
        BoundCase{"LoopBreakNotFirst", "mut i = 0\nloop { $i += 1; if $i == 10 { break } }\n",
                  "its first statement is not"},
        BoundCase{"NestedMultiply",
                  "for x in 0..<32 { for y in 0..<32 { count } }\n", ""},
        BoundCase{"NestedTooMany",
                  "for x in 0..<32 { for y in 0..<33 { count } }\n",
                  "which makes 1056 iterations"},
        BoundCase{"ListTimesRange",
                  "for x in [1 2] { for y in 0..<600 { count } }\n",
                  "which makes 1200 iterations"},
        BoundCase{"RangeFromLet", "let n = 3\nfor x in 0..<$n { count }\n", ""},
        BoundCase{"RangeFromMut", "mut n = 3\nfor x in 0..<$n { count }\n",
                  "the end of this range is not known at compile time"},
        BoundCase{"ListVariableAsLiteral",
                  "for s in [\"sh\" \"ba\"] { if ($e.comm | str ends-with $s) { count } }\n",
                  ""},
        BoundCase{"EmptyRange", "for x in 1..<1 { count }\n", ""},
        BoundCase{"BreakInNestedIf",
                  "for x in 0..5 { if $x > 2 { if $e.ret > 0 { break } } }\n", ""}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace nubpf::testing
