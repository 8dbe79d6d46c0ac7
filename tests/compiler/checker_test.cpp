// The checker: what MIR a probe becomes, and what it rejects and how.

#include "compile_helpers.h"
#include "gtest/gtest.h"

namespace nubpf::testing {
namespace {

class Checker : public ::testing::Test {
 protected:
  CheckResult Check(const std::string& text) { return CheckText(text, tracefs_); }
  FakeTracefs tracefs_;
};

TEST_F(Checker, OpensnoopMir) {
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
      "    emit {pid: $e.pid, comm: $e.comm, file: $e.filename}\n"
      "}\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_EQ(result.mir,
            "event#0 size 296 { pid: u32 +16, comm: string[16] +24, "
            "file: string[256] +40 }\n"
            "\n"
            "fn sys_enter_openat  section tracepoint/syscalls/sys_enter_openat\n"
            "bb0:\n"
            "  %0: u32 = pid\n"
            "  %1: string[16] = comm\n"
            "  %2: u64 = ctx.load +24\n"
            "  %3: string[256] = str.user %2\n"
            "  emit event#0 %0, %1, %3\n"
            "  return\n");
}

TEST_F(Checker, KeyedCountMir) {
  CheckResult result =
      Check("probe tracepoint:raw_syscalls:sys_enter {|e| $e.comm | count }\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_EQ(result.mir,
            "agg#0 count_by_comm count words 1 key comm: string[16] +0 size 16 max 10240 "
            "drop#0\n"
            "\n"
            "fn sys_enter  section tracepoint/raw_syscalls/sys_enter\n"
            "bb0:\n"
            "  %0: string[16] = comm\n"
            "  aggregate agg#0 %0\n"
            "  return\n");
}

// `nubpf-run --help` and skeleton headers show these defaults, so a
// duration or file size reads in the largest unit that divides it.
TEST_F(Checker, ParameterDefaultsShowTheirUnit) {
  CheckResult result = Check(
      "def main [--a: duration = 1ms, --b = 1.5sec, --c: duration = 0sec, --d = 4kb,\n"
      "          --e = 8kib, --f: filesize = 1500b, --g: int = -3, --h = 2wk] {\n"
      "    probe tracepoint:raw_syscalls:sys_enter {|e| count }\n"
      "}\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  std::vector<std::string> defaults;
  for (const mir::Parameter& parameter : result.module.parameters) {
    defaults.push_back(parameter.default_text);
  }
  EXPECT_EQ(defaults, (std::vector<std::string>{"1ms", "1500ms", "0sec", "4kb", "8kib", "1500b",
                                                "-3", "2wk"}));
}

TEST_F(Checker, IfElseBuildsBranches) {
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_exit_read {|e|\n"
      "    if $e.ret < 0 { count } else { $e.pid | count }\n"
      "}\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("%1: i64 = const 0\n"), std::string::npos) << result.mir;
  EXPECT_NE(result.mir.find("%2: bool = lt %0, %1\n"), std::string::npos) << result.mir;
  EXPECT_NE(result.mir.find("branch %2, bb1, bb2\n"), std::string::npos) << result.mir;
  EXPECT_NE(result.mir.find("jump bb3\n"), std::string::npos) << result.mir;
}

TEST_F(Checker, LiteralTakesOtherOperandType) {
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_exit_read {|e|\n"
      "    if $e.pid == 1 { count }\n"
      "}\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("%1: u32 = const 1\n"), std::string::npos) << result.mir;
}

TEST_F(Checker, ArithmeticIsSigned64Bits) {
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_exit_read {|e|\n"
      "    emit {sum: ($e.pid + $e.tid), diff: ($e.ret - $e.pid)}\n"
      "}\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("sum: i64 +16, diff: i64 +24"), std::string::npos)
      << result.mir;
}

TEST_F(Checker, LetBindsValue) {
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_exit_read {|e|\n"
      "    let bytes = $e.ret\n"
      "    if $bytes > 4096 { emit {bytes: $bytes} }\n"
      "}\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("bytes: i64 +16"), std::string::npos) << result.mir;
}

TEST_F(Checker, StringEqualityComparesLiteral) {
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
      "    if $e.comm == \"bash\" and not ($e.filename == \"/etc/passwd\") { count }\n"
      "}\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("str.eq %0, \"bash\""), std::string::npos) << result.mir;
  EXPECT_NE(result.mir.find("str.eq %3, \"/etc/passwd\""), std::string::npos)
      << result.mir;
}

TEST_F(Checker, CharArrayFieldIsString) {
  CheckResult result = Check(
      "probe tracepoint:sched:sched_switch {|e|\n"
      "    emit {next: $e.next_comm, pid: $e.next_pid}\n"
      "}\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("%0: string[16] = ctx.chars +40"), std::string::npos)
      << result.mir;
  EXPECT_NE(result.mir.find("%1: i32 = ctx.load +56"), std::string::npos) << result.mir;
}

// A `bool` field is a condition of its own, true for any byte but 0.
TEST_F(Checker, BoolFieldIsBool) {
  CheckResult result = Check(
      "probe tracepoint:sched:sched_process_exit {|e|\n"
      "    if $e.group_dead { emit {last: $e.group_dead} }\n"
      "}\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("%0: u8 = ctx.load +32\n"), std::string::npos) << result.mir;
  EXPECT_NE(result.mir.find("%2: bool = ne %0, %1\n"), std::string::npos) << result.mir;
  EXPECT_NE(result.mir.find("last: bool"), std::string::npos) << result.mir;
}

TEST_F(Checker, TooLongLiteralWarns) {
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
      "    if $e.comm == \"a-name-longer-than-comm\" { count }\n"
      "}\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.diagnostics.find("probe.nu:2:8: warning: this comparison is "
                                    "always false: the string has room for 15 of the 23 bytes"),
            std::string::npos)
      << result.diagnostics;
  EXPECT_NE(result.diagnostics.find("help: compare with a string of at most 15 bytes"),
            std::string::npos)
      << result.diagnostics;
}

TEST_F(Checker, NegativeLiteralAgainstUnsignedWarns) {
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
      "    if $e.mode == -1 { count }\n"
      "}\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.diagnostics.find("probe.nu:2:19: warning: `-1` is negative, "
                                    "but it is compared with an unsigned `u16`, "
                                    "so it becomes 65535"),
            std::string::npos)
      << result.diagnostics;
}

// A `syscalls` argument declared `int` sits in a u64 slot that the format
// calls unsigned. It reads as the i32 it is, so AT_FDCWD is -100.
TEST_F(Checker, SyscallIntArgumentIsSigned) {
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
      "    if $e.dfd == -100 { count }\n"
      "}\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_EQ(result.diagnostics, "");
  EXPECT_NE(result.mir.find("i32 = ctx.load +16"), std::string::npos) << result.mir;
}

TEST_F(Checker, SeveralProbesGetUniqueNames) {
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_exit_read {|e| count }\n"
      "probe tracepoint:syscalls:sys_exit_read {|e| count }\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("fn sys_exit_read  section"), std::string::npos);
  EXPECT_NE(result.mir.find("fn sys_exit_read_2  section"), std::string::npos);
  EXPECT_NE(result.mir.find("agg#1 count_2 count"), std::string::npos)
      << result.mir;
}

TEST_F(Checker, PowerMultipliesSquares) {
  // 5 is 101 in binary: x * ((x * x) * (x * x)), three multiplications.
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.ret ** 5)} }\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  size_t multiplications = 0;
  for (size_t at = result.mir.find("= mul "); at != std::string::npos;
       at = result.mir.find("= mul ", at + 1)) {
    ++multiplications;
  }
  EXPECT_EQ(multiplications, 3u) << result.mir;
}

TEST_F(Checker, ListMembershipOrsEqualities) {
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_exit_read {|e|\n"
      "    if $e.comm in [\"sh\" \"bash\"] { count }\n"
      "}\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("%1: bool = str.eq %0, \"sh\"\n"
                            "  %2: bool = str.eq %0, \"bash\"\n"
                            "  %3: bool = or %1, %2\n"),
            std::string::npos)
      << result.mir;
}

TEST_F(Checker, RegexBecomesStringSearch) {
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_exit_read {|e|\n"
      "    if $e.comm =~ \"^ba\" { count }\n"
      "}\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("%1: bool = str.starts %0, \"ba\"\n"), std::string::npos)
      << result.mir;
}

TEST_F(Checker, MissingOptionalEventFieldIsNull) {
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_exit_read {|e|\n"
      "    if $e.nofield? == null { count }\n"
      "}\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("%0: bool = const true\n"), std::string::npos)
      << result.mir;
}

TEST_F(Checker, GetReadsProbeRecord) {
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_exit_read {|e| emit {c: ($e | get comm)} }\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("%0: string[16] = comm\n"), std::string::npos)
      << result.mir;
}

TEST_F(Checker, DefCallIsInlined) {
  CheckResult result = Check(
      "def double [x: int] { $x * 2 }\n"
      "probe tracepoint:syscalls:sys_exit_read {|e| emit {d: (double $e.ret)} }\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_EQ(result.mir,
            "event#0 size 24 { d: i64 +16 }\n"
            "\n"
            "fn sys_exit_read  section tracepoint/syscalls/sys_exit_read\n"
            "bb0:\n"
            "  %0: i64 = ctx.load +16\n"
            "  %1: i64 = const 2\n"
            "  %2: i64 = mul %0, %1\n"
            "  jump bb1\n"
            "bb1:\n"
            "  emit event#0 %2\n"
            "  return\n");
}

TEST_F(Checker, DefLiteralStaysLiteral) {
  CheckResult result = Check(
      "def limit [] { 4096 }\n"
      "probe tracepoint:syscalls:sys_exit_read {|e| if $e.pid > (limit) { count } }\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  // The literal takes the type of `$e.pid`, as it would written in place.
  EXPECT_NE(result.mir.find("u32 = const 4096"), std::string::npos) << result.mir;
}

TEST_F(Checker, EarlyReturnJoinsThroughLocal) {
  CheckResult result = Check(
      "def clamp [x: int] { if $x > 10 { return 10 }; $x }\n"
      "probe tracepoint:syscalls:sys_exit_read {|e| emit {c: (clamp $e.ret)} }\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("local#0: i64\n"), std::string::npos) << result.mir;
  EXPECT_NE(result.mir.find("store local#0"), std::string::npos) << result.mir;
  EXPECT_NE(result.mir.find("= load local#0"), std::string::npos) << result.mir;
}

TEST_F(Checker, InIsProbeRecord) {
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_exit_read { emit {pid: $in.pid, ret: $in.ret} }\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("%0: u32 = pid\n"), std::string::npos) << result.mir;
  EXPECT_NE(result.mir.find("%1: i64 = ctx.load +16\n"), std::string::npos)
      << result.mir;
}

TEST_F(Checker, InIsPipelineInputOfDef) {
  CheckResult result = Check(
      "def len [] { $in | str length }\n"
      "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.comm | len)} }\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("str.len %0"), std::string::npos) << result.mir;
}

TEST_F(Checker, PrintInterpolationTemplate) {
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_exit_read {|e| print $\"pid ($e.pid) {x} (1 + 1)\" }\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("print#0 size 24 { 0: u32 +16 }"), std::string::npos)
      << result.mir;
}

TEST_F(Checker, IntoIntMakesU64Signed) {
  // `dfd` of sys_enter_openat is a u64 in the tracepoint format.
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_enter_openat {|e| emit {d: ($e.dfd | into int)} }\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("i64 = cast"), std::string::npos) << result.mir;
}

TEST_F(Checker, SubstringTakesConstantBounds) {
  CheckResult result = Check(
      "const N = 2\n"
      "probe tracepoint:syscalls:sys_exit_read {|e|\n"
      "    for start in [0 1] { emit {s: ($e.comm | str substring $start..($N + 1))} }\n"
      "}\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("str.sub %0, 0..4"), std::string::npos) << result.mir;
  EXPECT_NE(result.mir.find(", 0..4"), std::string::npos) << result.mir;
  EXPECT_NE(result.mir.find(", 1..4"), std::string::npos) << result.mir;
}

TEST_F(Checker, DefCopiesShareCounterAndEvent) {
  CheckResult result = Check(
      "def note [n: int] { $n | count; emit {n: $n} }\n"
      "probe tracepoint:syscalls:sys_exit_read {|e| note 1; note $e.ret }\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_EQ(result.module.aggregations.size(), 1u) << result.mir;
  EXPECT_EQ(result.module.events.size(), 1u) << result.mir;
}

TEST_F(Checker, EventInsideRecord) {
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_exit_read {|e|\n"
      "    let r = {ev: $e}\n"
      "    emit {pid: $r.ev.pid, ret: $r.ev.ret, missing: ($r.ev.nope? | default 0)}\n"
      "}\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("= pid\n"), std::string::npos) << result.mir;
  EXPECT_NE(result.mir.find("= ctx.load +16\n"), std::string::npos) << result.mir;
}

TEST_F(Checker, StacksAreEventFieldsAndKeys) {
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_exit_read {|e|\n"
      "    emit {ret: $e.ret, stack: $e.kstack}\n"
      "    $e.ustack | count\n"
      "}\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_EQ(result.mir,
            "event#0 size 288 { ret: i64 +16, stack: kstack[32] +24 }\n"
            "agg#0 count_by_ustack count words 1 key ustack: ustack[32] +0 size 264 max "
            "10240 drop#0\n"
            "\n"
            "fn sys_exit_read  section tracepoint/syscalls/sys_exit_read\n"
            "bb0:\n"
            "  %0: i64 = ctx.load +16\n"
            "  %1: kstack[32] = stack.kernel\n"
            "  emit event#0 %0, %1\n"
            "  %2: ustack[32] = stack.user\n"
            "  aggregate agg#0 %2\n"
            "  return\n");
}

struct ErrorCase {
  const char* name;
  const char* source;
  const char* expected;
};

class CheckerErrors : public ::testing::TestWithParam<ErrorCase> {
 protected:
  FakeTracefs tracefs_;
};

TEST_P(CheckerErrors, ReportsAtSpan) {
  CheckResult result = CheckText(GetParam().source, tracefs_);
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.diagnostics.find(GetParam().expected), std::string::npos)
      << result.diagnostics;
}

const ErrorCase kErrorCases[] = {
    {"UnknownTracepoint",
     "probe tracepoint:syscalls:sys_enter_opnat {|e| count }\n",
     "probe.nu:1:7: error: tracepoint `syscalls:sys_enter_opnat` not found on "
     "this kernel\nprobe.nu:1:7: help: did you mean "
     "`tracepoint:syscalls:sys_enter_openat`?"},
    {"UnknownCategory", "probe tracepoint:syscals:sys_enter_openat {|e| count }\n",
     "help: did you mean the category `syscalls`?"},
    {"MalformedTarget", "probe tracepoint:syscalls {|e| count }\n",
     "probe.nu:1:7: error: malformed tracepoint target"},
    {"UnknownProbeType", "probe tracpoint:syscalls:x {|e| count }\n",
     "probe.nu:1:7: error: unknown probe type `tracpoint`"},
    {"UnknownField", "probe tracepoint:syscalls:sys_exit_read {|e| emit {r: $e.rett} }\n",
     "probe.nu:1:58: error: tracepoint `syscalls:sys_exit_read` has no field "
     "`rett`\nprobe.nu:1:58: help: did you mean `$e.ret`?"},
    {"UnknownVariable", "probe tracepoint:syscalls:sys_exit_read {|e| emit {r: $x} }\n",
     "probe.nu:1:55: error: unknown variable `$x`\nprobe.nu:1:55: help: define "
     "it with `let x = ...` first"},
    {"RecordAsValue", "probe tracepoint:syscalls:sys_exit_read {|e| emit {r: $e} }\n",
     "error: the probe record `$e` cannot be used as a whole value"},
    {"StringVersusInt",
     "probe tracepoint:syscalls:sys_exit_read {|e| if $e.comm == 1 { count } }\n",
     "error: cannot compare `string[16]` with `int`"},
    {"ConditionNotBool",
     "probe tracepoint:syscalls:sys_exit_read {|e| if $e.ret { count } }\n",
     "probe.nu:1:49: error: expected a `bool`, found an `i64`"},
    {"DuplicateRecordField",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {a: $e.pid, a: $e.tid} }\n",
     "probe.nu:1:63: error: record key `a` is used twice"},
    {"CountWithArgument",
     "probe tracepoint:syscalls:sys_exit_read {|e| count $e.pid }\n",
     "error: `count` takes no positional arguments"},
    {"UnknownCommand", "probe tracepoint:syscalls:sys_exit_read {|e| cuont }\n",
     "error: unknown command `cuont`\nprobe.nu:1:46: help: did you mean `count`?"},
    {"UnknownCommandListsCommands",
     "probe tracepoint:syscalls:sys_exit_read {|e| teleport }\n",
     "probe.nu:1:46: help: the commands are `emit`, `send`, `count`"},
    {"RecordAsEventField",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {s: {a: 1}} }\n",
     "probe.nu:1:55: error: an event field cannot hold a `record`\n"
     "probe.nu:1:55: help: send its parts as fields of their own"},
    {"UnusedValue", "probe tracepoint:syscalls:sys_exit_read {|e| $e.pid }\n",
     "error: the value of this expression is not used"},
    {"EmitWithoutRecord", "probe tracepoint:syscalls:sys_exit_read {|e| emit $e.pid }\n",
     "error: `emit` takes a record"},
    {"ArrayField", "probe tracepoint:nubpf_test:odd_array {|e| emit {a: $e.rows.0} }\n",
     "cannot be read yet"},
    {"StoreStringTooLong",
     "probe tracepoint:syscalls:sys_exit_read {|e|\n"
     "  \""
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
     "\" | store set s --key $e.tid }\n",
     "needs 301 bytes, but store `s` holds strings of 256 bytes"},
    {"FieldOfInteger",
     "probe tracepoint:syscalls:sys_exit_read {|e| let x = $e.pid; emit {a: $x.y} }\n",
     "error: cannot read field `y` of a u32 value"},
    {"LetScopedToBlock",
     "probe tracepoint:syscalls:sys_exit_read {|e|\n"
     "  if true { let x = 1 }\n"
     "  emit {a: $x}\n"
     "}\n",
     "probe.nu:3:12: error: unknown variable `$x`"},
    {"NoProbes", "# empty\n", "error: this file has no probes"},
    {"AssignNotMut",
     "probe tracepoint:syscalls:sys_exit_read {|e| let n = 1; $n = 2; emit {n: $n} }\n",
     "probe.nu:1:57: error: `$n` cannot be changed: it is not `mut`"},
    {"AssignNotMutHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| let n = 1; $n = 2; emit {n: $n} }\n",
     "help: declare it with `mut n = ...`"},
    {"AssignUnknown",
     "probe tracepoint:syscalls:sys_exit_read {|e| $m = 2 }\n",
     "probe.nu:1:46: error: unknown variable `$m`"},
    {"AssignUnknownHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| $m = 2 }\n",
     "help: declare it first with `mut m = ...`"},
    {"AssignDivide",
     "probe tracepoint:syscalls:sys_exit_read {|e| mut n = 8; $n /= 2; emit {n: $n} }\n",
     "probe.nu:1:60: error: `/=` is not supported in a probe, because `/` gives a float in Nushell"},
    {"AssignDivideHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| mut n = 8; $n /= 2; emit {n: $n} }\n",
     "help: write `$n = $n // N`"},
    {"AssignWrongType",
     "probe tracepoint:syscalls:sys_exit_read {|e| mut n = 8; $n = ($e.comm == \"x\"); emit {n: $n} }\n",
     "probe.nu:1:63: error: `=` cannot store a value of type `bool` in `$n` of type `i64`"},
    {"AssignWrongTypeHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| mut n = 8; $n = ($e.comm == \"x\"); emit {n: $n} }\n",
     "help: a `mut` variable keeps the type of its first value"},
    {"MutRecord",
     "probe tracepoint:syscalls:sys_exit_read {|e| mut r = {a: 1} }\n",
     "probe.nu:1:54: error: a `mut` variable must be an int, a bool or a string in a probe, but this is a `record`"},
    {"MutRecordHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| mut r = {a: 1} }\n",
     "help: bind the value with `let`"},
    {"MutStringAppend",
     "probe tracepoint:syscalls:sys_exit_read {|e| mut s = \"a\"; $s += \"b\" }\n",
     "probe.nu:1:62: error: `+=` does not apply to strings"},
    {"DefFinalIfWithoutElse",
     "def f [n: int] { if $n > 1 { 5 } }\nprobe tracepoint:syscalls:sys_exit_read {|e| emit {a: (f $e.ret)} }\n",
     "probe.nu:1:18: error: an `if` without `else` has no value when its condition is false"},
    {"IfValueWithoutElse",
     "probe tracepoint:syscalls:sys_exit_read {|e| let n = if $e.ret > 0 { 1 } }\n",
     "probe.nu:1:54: error: an `if` without `else` has no value when its condition is false"},
    {"IfValueWithoutElseHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| let n = if $e.ret > 0 { 1 } }\n",
     "help: add an `else` block, such as `else { 0 }`"},
    {"IfValueTypes",
     "probe tracepoint:syscalls:sys_exit_read {|e| let n = if $e.ret > 0 { 1 } else { \"no\" } }\n",
     "probe.nu:1:81: error: the branches of this `if` give different types: an `int` and a `string`"},
    {"IfValueRecord",
     "probe tracepoint:syscalls:sys_exit_read {|e| let n = if $e.ret > 0 { {a: 1} } else { {a: 2} } }\n",
     "probe.nu:1:70: error: this `if` gives a `record`, which is not supported in a probe"},
    {"IfBranchWithoutValue",
     "probe tracepoint:syscalls:sys_exit_read {|e| let n = if $e.ret > 0 { emit {a: 1} } else { 2 } }\n",
     "probe.nu:1:70: error: this branch of the `if` gives no value"},
    {"MatchValueNotExhaustive",
     "probe tracepoint:syscalls:sys_exit_read {|e| let n = match $e.ret { 1 => 2 } }\n",
     "probe.nu:1:54: error: this `match` has no value when no arm matches"},
    {"MatchValueNotExhaustiveHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| let n = match $e.ret { 1 => 2 } }\n",
     "help: add a last arm `_ => ...` that matches every value"},
    {"MatchPatternType",
     "probe tracepoint:syscalls:sys_exit_read {|e| match $e.ret { \"a\" => { count } } }\n",
     "probe.nu:1:61: error: this pattern is a `string`, but the value matched is an `i64`, so it never matches"},
    {"MatchRangeOnString",
     "probe tracepoint:syscalls:sys_exit_read {|e| match $e.comm { 1..3 => { count } } }\n",
     "probe.nu:1:62: error: a range pattern matches integers, but the value matched is a `string[16]`"},
    {"MatchRangeStepZero",
     "probe tracepoint:syscalls:sys_exit_read {|e| match $e.ret { 1..1..3 => { count } } }\n",
     "probe.nu:1:64: error: this range never advances: its second value equals its first"},
    {"MatchNullPattern",
     "probe tracepoint:syscalls:sys_exit_read {|e| match $e.ret { null => { count } } }\n",
     "probe.nu:1:61: error: `null` never matches: a value in a probe is never null"},
    {"MatchRecordSubject",
     "probe tracepoint:syscalls:sys_exit_read {|e| match {a: 1} { _ => { count } } }\n",
     "probe.nu:1:52: error: `match` on a `record` is not supported in a probe, because its patterns compare one integer, bool or string"},
    {"MatchGuardNotBool",
     "probe tracepoint:syscalls:sys_exit_read {|e| match $e.ret { $x if $x => { count } } }\n",
     "probe.nu:1:67: error: expected a `bool`, found an `i64`"},
    {"CommonFieldHidden",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {p: $e.common_pid} }\n",
     "probe.nu:1:58: error: `common_pid` cannot be read by a BPF program: the kernel hides the first 8 bytes of a tracepoint record"},
    {"AnnotationMismatch",
     "probe tracepoint:syscalls:sys_exit_read {|e| let n: string = 5 }\n",
     "probe.nu:1:62: error: `$n` is declared `string`, but this is an `int`"},
    {"AnnotationMismatchHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| let n: string = 5 }\n",
     "help: change the annotation or the value"},
    {"AnnotationUnknown",
     "probe tracepoint:syscalls:sys_exit_read {|e| let n: float = 5 }\n",
     "probe.nu:1:53: error: type `float` is not supported in a probe"},
    {"AnnotationUnknownHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| let n: float = 5 }\n",
     "help: use `int`, `bool`, `string`, `record`, `list`, `list<int>` or `nothing`"},
    {"AnnotationListElementMismatch",
     "probe tracepoint:syscalls:sys_exit_read {|e| let l: list<int> = [1 \"a\"] }\n",
     "probe.nu:1:65: error: `$l` is declared `list<int>`, but this is a `list`"},
    {"AnnotationUnknownElementType",
     "probe tracepoint:syscalls:sys_exit_read {|e| let l: list<float> = [] }\n",
     "probe.nu:1:53: error: type `list<float>` is not supported in a probe"},
    {"ConstNotConstant",
     "probe tracepoint:syscalls:sys_exit_read {|e| const P = $e.pid }\n",
     "probe.nu:1:56: error: the value of `const P` is not known at compile time"},
    {"ConstNotConstantHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| const P = $e.pid }\n",
     "help: use literals, operators and other constants"},
    {"TopLevelConstNotConstant",
     "const P = $x + 1\nprobe tracepoint:syscalls:sys_exit_read {|e| count }\n",
     "probe.nu:1:11: error: the value of `const P` is not known at compile time"},
    {"SubstringNeedsRange",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {s: ($e.comm | str substring 2)} }\n",
     "probe.nu:1:80: error: `str substring` takes a range in a probe\n"
     "probe.nu:1:80: help: write `... | str substring 1..3` with integer literals"},
    {"SubstringNegativeIndex",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {s: ($e.comm | str substring (-2)..3)} }\n",
     "error: the range of `str substring` needs non-negative integers known at compile time"},
    {"SubstringRuntimeBound",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {s: ($e.comm | str substring 0..$e.ret)} }\n",
     "help: the bounds size the result when the probe is compiled, so write numbers or constants"},
    {"CommandWithoutInput",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: (str length)} }\n",
     "probe.nu:1:56: error: `str length` needs a value piped into it"},
    {"CommandWithoutInputHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: (str length)} }\n",
     "help: write `$e.comm | str length`"},
    {"StringCommandOnInt",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.ret | str length)} }\n",
     "probe.nu:1:56: error: `str length` takes a string, but this is an `i64`"},
    {"StringCommandOnIntHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.ret | str length)} }\n",
     "help: convert it first"},
    {"StringCommandUnknownFlag",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.comm | str length --ignore-case)} }\n",
     "probe.nu:1:77: error: `str length` has no flag `--ignore-case` in a probe"},
    {"StringCommandUnknownFlagHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.comm | str length --ignore-case)} }\n",
     "help: it takes no flags"},
    {"StringCommandNeedsLiteral",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.comm | str contains $e.comm)} }\n",
     "probe.nu:1:79: error: `str contains` takes a string literal in a probe"},
    {"StringCommandNeedsLiteralHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.comm | str contains $e.comm)} }\n",
     "help: write `... | str contains \"text\"`"},
    {"IntoTakesNoArguments",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.comm | into int 10)} }\n",
     "probe.nu:1:75: error: `into int` takes no arguments in a probe"},
    {"IntoTakesNoArgumentsHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.comm | into int 10)} }\n",
     "help: pipe the value into it"},
    {"IntoStringOfBool",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {s: ($e.ret > 0 | into string)} }\n",
     "probe.nu:1:56: error: `into string` of a bool is not supported in a probe"},
    {"IntoStringOfBoolHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {s: ($e.ret > 0 | into string)} }\n",
     "help: use `if $flag"},
    {"ConvertRecord",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ({a: 1} | into int)} }\n",
     "probe.nu:1:56: error: cannot convert a `record` with `into int`"},
    {"ConvertRecordHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ({a: 1} | into int)} }\n",
     "help: convert one of its fields"},
    {"PrintNeedsValue",
     "probe tracepoint:syscalls:sys_exit_read {|e| print }\n",
     "probe.nu:1:46: error: `print` needs a value"},
    {"PrintNeedsValueHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| print }\n",
     "help: write `print $\"($e.comm) opened a file\"`"},
    {"PrintRecord",
     "probe tracepoint:syscalls:sys_exit_read {|e| print {a: 1} }\n",
     "probe.nu:1:52: error: printing a `record` is not supported in a probe, "
     "because"},
    {"PrintRecordHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| print {a: 1} }\n",
     "help: print its fields"},
    {"EmitNotRecord",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit $e.ret }\n",
     "probe.nu:1:51: error: `emit` takes a record, but this is an `i64`"},
    {"EmitNotRecordHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit $e.ret }\n",
     "help: write `emit {pid: $e.pid}`"},
    {"NestedRecordKey",
     "probe tracepoint:syscalls:sys_exit_read {|e| {a: {b: 1}} | count }\n",
     "probe.nu:1:50: error: the key field `a` cannot be a `record`, because a key record holds only scalars"},
    {"NestedRecordKeyHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| {a: {b: 1}} | count }\n",
     "help: move its fields into the key record itself"},
    {"UnknownRecordField",
     "probe tracepoint:syscalls:sys_exit_read {|e| let r = {pid: $e.pid}; emit {p: $r.pdi} }\n",
     "probe.nu:1:81: error: the record has no field `pdi`"},
    {"UnknownRecordFieldHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| let r = {pid: $e.pid}; emit {p: $r.pdi} }\n",
     "help: its fields are `pid`"},
    {"PipelineWithoutValue",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: (count)} }\n",
     "probe.nu:1:55: error: this pipeline gives no value"},
    {"PipelineWithoutValueHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: (count)} }\n",
     "help: end it with a command"},
    {"NothingIntoCommand",
     "probe tracepoint:syscalls:sys_exit_read {|e| count | str length }\n",
     "probe.nu:1:54: error: `count` returns nothing, so nothing goes into `str length`"},
    {"NothingIntoCommandHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| count | str length }\n",
     "help: start the pipeline"},
    {"DivisionByZero",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.ret // 0)} }\n",
     "probe.nu:1:66: error: division by zero"},
    {"DivisionByZeroHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.ret // 0)} }\n",
     "help: a probe cannot raise an error"},
    {"InAsWholeValue",
     "probe tracepoint:syscalls:sys_exit_read { emit {r: $in} }\n",
     "probe.nu:1:52: error: the probe record `$in` cannot be used as a whole value"},
    {"InWithoutInput",
     "def f [] { $in }\nprobe tracepoint:syscalls:sys_exit_read {|e| emit {r: (f)} }\n",
     "error: `$in` has no value: `f` was called without a pipeline input"},
    {"EventParameterField",
     "def f [ev] { $ev.rett }\nprobe tracepoint:syscalls:sys_exit_read {|e| emit {r: (f $e)} }\n",
     "help: did you mean `$ev.ret`?"},
    {"EventParameterWhole",
     "def f [ev] { emit {a: $ev} }\nprobe tracepoint:syscalls:sys_exit_read {|e| f $e }\n",
     "error: the probe record `$ev` cannot be used as a whole value"},
    {"DefValueUnused",
     "def f [] { 1 }\nprobe tracepoint:syscalls:sys_exit_read {|e| f }\n",
     "error: the value of this expression is not used"},
    {"DefMissingArgument",
     "def f [x: int] { $x }\nprobe tracepoint:syscalls:sys_exit_read {|e| emit {a: (f)} }\n",
     "help: the signature is `f [x: int]`"},
    {"StringVersusIntNamesBoth",
     "probe tracepoint:syscalls:sys_exit_read {|e| if $e.comm == $e.ret { count } }\n",
     "probe.nu:1:57: error: cannot compare `string[16]` with `i64`"},
    {"StringVersusIntNamesBothHelp",
     "probe tracepoint:syscalls:sys_exit_read {|e| if $e.comm == $e.ret { count } }\n",
     "help: compare strings with strings"},
    {"PowerNegativeExponent",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: (2 ** -1)} }\n",
     "probe.nu:1:61: error: a negative exponent is not supported in a probe, because Nushell raises an error for it on integers\n"
     "probe.nu:1:61: help: use an exponent of 0 or more"},
    {"PowerRuntimeExponent",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.ret ** $e.pid)} }\n",
     "probe.nu:1:66: error: `**` with an exponent computed at run time is not supported in a probe, because the number of multiplications must be known when it is compiled\n"
     "probe.nu:1:66: help: use a literal or a `const` exponent, such as `$x ** 2`"},
    {"PowerOfString",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.comm ** 2)} }\n",
     "probe.nu:1:56: error: `**` takes integers, but this is a `string[16]`\n"
     "probe.nu:1:56: help: raise an integer to a constant power, such as `$e.ret ** 2`"},
    {"RegexNotLiteral",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.comm =~ \"a.*b\")} }\n",
     "probe.nu:1:67: error: regular expressions are not supported in a probe, because a probe can only search for plain text, and `.` in this pattern is more than that\n"
     "probe.nu:1:67: help: search for plain text with `str contains`, `str starts-with` or `str ends-with`, or write the pattern as text anchored with `^` and `$`, with `\\` before `.` and the other metacharacters"},
    {"RegexClassEscape",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.comm =~ \"\\\\d+\")} }\n",
     "probe.nu:1:67: error: regular expressions are not supported in a probe, because a probe can only search for plain text, and `\\d` in this pattern is more than that\n"
     "probe.nu:1:67: help: search for plain text with `str contains`, `str starts-with` or `str ends-with`, or write the pattern as text anchored with `^` and `$`, with `\\` before `.` and the other metacharacters"},
    {"RegexRuntimePattern",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.comm =~ $e.comm)} }\n",
     "probe.nu:1:67: error: a pattern computed at run time is not supported in a probe, because a probe searches a string only for a literal\n"
     "probe.nu:1:67: help: search for plain text with `str contains`, `str starts-with` or `str ends-with`, or write the pattern as text anchored with `^` and `$`, with `\\` before `.` and the other metacharacters"},
    {"RegexOnInteger",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.ret =~ \"1\")} }\n",
     "probe.nu:1:56: error: `=~` takes strings, but this is an `i64`\n"
     "probe.nu:1:56: help: match a string with a pattern, such as `$e.comm =~ \"^ba\"`"},
    {"StartsWithRuntime",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.comm starts-with $e.comm)} }\n",
     "probe.nu:1:76: error: `starts-with` with a string computed at run time on the right is not supported in a probe, because a probe compares a string only with a literal\n"
     "probe.nu:1:76: help: compare with a literal, such as `$e.comm starts-with \"ba\"`"},
    {"EndsWithInteger",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.comm ends-with 5)} }\n",
     "probe.nu:1:74: error: `ends-with` takes strings, but this is an `int`\n"
     "probe.nu:1:74: help: convert it first with `into string`"},
    {"InRuntimeNeedle",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.comm in $e.comm)} }\n",
     "probe.nu:1:56: error: `in` with a string computed at run time on the left is not supported in a probe, because a probe searches a string only for a literal\n"
     "probe.nu:1:56: help: search for a literal, such as `\"ab\" in $e.comm`"},
    {"InInteger",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.ret in $e.pid)} }\n",
     "probe.nu:1:66: error: `in` takes a list, a range, a record or a string on the right, but this is a `u32`\n"
     "probe.nu:1:66: help: write `$e.pid in [1 2 3]`, `$e.pid in 1..100` or `\"ab\" in $e.comm`"},
    {"InRuntimeRangeBound",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.ret in 1..$e.ret)} }\n",
     "probe.nu:1:69: error: a range bound computed at run time is not supported with `in` in a probe\n"
     "probe.nu:1:69: help: use literals or `const` values, or compare: `$x >= $low and $x <= $high`"},
    {"InRangeZeroStep",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.ret in 1..1..5)} }\n",
     "probe.nu:1:66: error: this range is not supported in a probe, because Nushell raises an error for a step of 0 or a step away from the end\n"
     "probe.nu:1:66: help: write the step toward the end, such as `1..3..9`"},
    {"InRangeStepAwayFromEnd",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.ret in 1..3..0)} }\n",
     "probe.nu:1:66: error: this range is not supported in a probe, because Nushell raises an error for a step of 0 or a step away from the end\n"
     "probe.nu:1:66: help: write the step toward the end, such as `1..3..9`"},
    {"InRangeOfString",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.comm in 1..3)} }\n",
     "probe.nu:1:56: error: `in` a range takes an integer, but this is a `string[16]`\n"
     "probe.nu:1:56: help: for a number in a string, write `($s | into int) in 1..10`"},
    {"InRangeNegativeBoundU64",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.ts in -5..5)} }\n",
     "probe.nu:1:65: error: a range with a negative bound cannot hold a `u64` in a probe, because the comparison is unsigned\n"
     "probe.nu:1:65: help: compare with `>=` and `<=` instead"},
    {"RecordInList",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ({a: 1} in [1])} }\n",
     "probe.nu:1:56: error: `in` on a `record` is not supported in a probe, because a probe compares only ints, bools, strings and null\n"
     "probe.nu:1:56: help: test one of its fields, such as `$r.pid in [1 2]`"},
    {"ListInList",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.ret in [[1]])} }\n",
     "probe.nu:1:67: error: this list element is a `list`, but `in` in a probe compares only ints, bools, strings and null\n"
     "probe.nu:1:67: help: list the values themselves, such as `[1 2 3]`"},
    {"ListIndexOutOfRange",
     "probe tracepoint:syscalls:sys_exit_read {|e| let l = [1 2 3]; emit {n: $l.5} }\n",
     "probe.nu:1:75: error: index 5 is out of range for a list of 3 elements\n"
     "probe.nu:1:75: help: use an index from 0 to 2, or `.5?` for null"},
    {"EmptyListIndex",
     "probe tracepoint:syscalls:sys_exit_read {|e| let l = []; emit {n: $l.0} }\n",
     "probe.nu:1:70: error: index 0 is out of range for a list of 0 elements\n"
     "probe.nu:1:70: help: the list is empty; `.0?` gives null"},
    {"EmitList",
     "probe tracepoint:syscalls:sys_exit_read {|e| let l = [1 2 3]; emit {n: $l} }\n",
     "probe.nu:1:72: error: an event field cannot hold a list in a probe, because a list exists only while the probe is compiled\n"
     "probe.nu:1:72: help: send its elements as fields of their own, such as `{first: $list.0}`"},
    {"CountList",
     "probe tracepoint:syscalls:sys_exit_read {|e| let l = [1 2 3]; $l | count }\n",
     "probe.nu:1:63: error: the key of `count` cannot be a list, because a key is a value read when the probe runs\n"
     "probe.nu:1:63: help: key by each element on its own, such as `--by $list.0`"},
    {"CountNull",
     "probe tracepoint:syscalls:sys_exit_read {|e| null | count }\n",
     "probe.nu:1:46: error: the key of `count` cannot be null, because a key is a value read when the probe runs\n"
     "probe.nu:1:46: help: give a value in place of null with `default`, as in `$x | default 0`"},
    {"PrintList",
     "probe tracepoint:syscalls:sys_exit_read {|e| print [1 2] }\n",
     "probe.nu:1:52: error: printing a `list` is not supported in a probe, because the probe sends the loader only ints, bools and strings\n"
     "probe.nu:1:52: help: print its elements, such as `$list.0`"},
    {"GetRuntimeIndex",
     "probe tracepoint:syscalls:sys_exit_read {|e| let l = [1 2 3]; emit {n: ($l | get $e.ret)} }\n",
     "probe.nu:1:82: error: a cell path computed at run time is not supported in a probe, because records and lists exist only while the probe is compiled\n"
     "probe.nu:1:82: help: use a literal or a `const`, such as `get 0`"},
    {"GetFromInteger",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.pid | get a)} }\n",
     "probe.nu:1:56: error: `get` takes a record or a list, but this is a `u32`\n"
     "probe.nu:1:56: help: `get` reads a field of a record, such as `$e | get pid`"},
    {"GetUnknownFlag",
     "probe tracepoint:syscalls:sys_exit_read {|e| let r = {a: 1}; emit {n: ($r | get --ignore-case a)} }\n",
     "probe.nu:1:81: error: `get` has no flag `--ignore-case` in a probe\n"
     "probe.nu:1:81: help: its one flag is `--optional` (`-o`)"},
    {"GetUnknownShortFlag",
     "probe tracepoint:syscalls:sys_exit_read {|e| let r = {a: 1}; emit {n: ($r | get -x a)} }\n",
     "probe.nu:1:81: error: `get` has no flag `-x` in a probe\n"
     "probe.nu:1:81: help: its one flag is `--optional` (`-o`)"},
    {"GetWithoutPath",
     "probe tracepoint:syscalls:sys_exit_read {|e| let r = {a: 1}; emit {n: ($r | get)} }\n",
     "probe.nu:1:77: error: `get` needs a cell path\n"
     "probe.nu:1:77: help: write `get name`, `get 0` or `get a.b`"},
    {"GetMissingEventField",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e | get nofield)} }\n",
     "probe.nu:1:65: error: tracepoint `syscalls:sys_exit_read` has no field `nofield`\n"
     "probe.nu:1:65: help: the fields of tracepoint `syscalls:sys_exit_read` are `__syscall_nr`, `ret`, and every probe has `pid tid uid gid comm ts cpu cgroup task kstack ustack`"},
    {"GetMissingField",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ({a: 1} | get b)} }\n",
     "probe.nu:1:69: error: the record has no field `b`\n"
     "probe.nu:1:69: help: its fields are `a`; `.b?` gives null"},
    {"EmitNull",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: null} }\n",
     "probe.nu:1:55: error: an event field cannot be null in a probe, because each field has a type fixed when the probe is compiled\n"
     "probe.nu:1:55: help: give a value in place of null with `default`, as in `$r.size? | default 0`"},
    {"NullArithmetic",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: (null + 1)} }\n",
     "probe.nu:1:56: error: `+` takes numbers, but this is a `nothing`\n"
     "probe.nu:1:56: help: give a value in place of null with `default`, as in `$r.size? | default 0`"},
    {"OptionalEventFieldArithmetic",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.ret + $e.nofield?)} }\n",
     "probe.nu:1:65: error: `+` takes numbers, but this is a `nothing`\n"
     "probe.nu:1:65: help: give a value in place of null with `default`, as in `$r.size? | default 0`"},
    {"RecordIndex",
     "probe tracepoint:syscalls:sys_exit_read {|e| let r = {a: 1}; emit {n: $r.0} }\n",
     "probe.nu:1:74: error: cannot read element `0` of a record\n"
     "probe.nu:1:74: help: a record's fields have names: its fields are `a`"},
    {"FieldOfNull",
     "probe tracepoint:syscalls:sys_exit_read {|e| let r = {a: null}; emit {n: $r.a.b} }\n",
     "probe.nu:1:79: error: cannot read `b` of null\n"
     "probe.nu:1:79: help: write `.b?` to get null, or give a value in place of null with `default`"},
    {"OptionalFieldOfInteger",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: $e.pid.x?} }\n",
     "probe.nu:1:62: error: cannot read field `x` of a u32 value\n"
     "probe.nu:1:62: help: only records and lists have members"},
    {"LengthOfString",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.comm | length)} }\n",
     "probe.nu:1:56: error: `length` takes a list, but this is a `string[16]`\n"
     "probe.nu:1:56: help: for the bytes of a string, write `str length`"},
    {"FirstRuntimeCount",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ([1 2] | first $e.ret)} }\n",
     "probe.nu:1:70: error: `first` takes one count known at compile time in a probe\n"
     "probe.nu:1:70: help: write `first` for one element or `first 2` for a list of two"},
    {"DefaultWithoutValue",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: (null | default)} }\n",
     "probe.nu:1:63: error: `default` needs a value\n"
     "probe.nu:1:63: help: write `... | default 0`"},
    {"DefaultEmpty",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.ret | default 1 --empty)} }\n",
     "probe.nu:1:75: error: `default --empty` is not supported in a probe, because whether a string is empty is known only when the probe runs\n"
     "probe.nu:1:75: help: test the length instead: `if ($s | str length) == 0 { ... }`"},
    {"DefaultColumnsOfInteger",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.ret | default 1 a)} }\n",
     "probe.nu:1:56: error: `default` with field names takes a record, but this is an `i64`\n"
     "probe.nu:1:56: help: write `$record | default 0 size`, or leave out the field names"},
    {"Divide",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: (7 / 2)} }\n",
     "probe.nu:1:58: error: `/` is not supported in a probe, because it gives a float in Nushell and BPF has no floats\n"
     "probe.nu:1:58: help: write `//` for floor division"},

    {"SearchForNul",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: (\"a\\u{0}\" in $e.comm)} }\n",
     "probe.nu:1:56: error: the string searched for cannot contain a NUL byte\n"
     "probe.nu:1:56: help: remove the `\\0` from the string"},
    {"DefaultFieldNameNotString",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ({a: 1} | default 0 5 | get a)} }\n",
     "probe.nu:1:75: error: a field name for `default` must be a string\n"
     "probe.nu:1:75: help: write `default 0 size`"},
    {"LengthWithArgument",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ([1] | length 2)} }\n",
     "probe.nu:1:69: error: `length` takes no arguments\n"
     "probe.nu:1:69: help: pipe the list into it: `$list | length`"},
    {"GetListPath",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ({a: 1} | get [a])} }\n",
     "probe.nu:1:69: error: `get` takes a cell path, but this is a `list`\n"
     "probe.nu:1:69: help: write `get name`, `get 0` or `get a.b`"},
    {"FirstNegativeCount",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ([1 2] | first (-1))} }\n",
     "probe.nu:1:70: error: `first` takes one count known at compile time in a probe\n"
     "probe.nu:1:70: help: write `first` for one element or `first 2` for a list of two"},
    {"StackArithmetic",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.kstack + 1)} }\n",
     "probe.nu:1:56: error: a kernel stack cannot be an operand of `+` in a probe, because "
     "a probe only copies a stack into an event field or a counter key\n"
     "probe.nu:1:56: help: send it with `emit {stack: $e.kstack}` or count by it with "
     "`$e.kstack | count`; nubpf-run shows its frames by name"},
    {"StackComparison",
     "probe tracepoint:syscalls:sys_exit_read {|ev| if $ev.ustack != $ev.ustack { count } }\n",
     "probe.nu:1:50: error: a user stack cannot be compared with `!=` in a probe"},
    {"StackInterpolation",
     "probe tracepoint:syscalls:sys_exit_read {|e| print $\"at ($e.kstack)\" }\n",
     "probe.nu:1:58: error: a kernel stack cannot be printed with `print` in a probe"},
    {"StackStringCommand",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {n: ($e.ustack | str contains \"x\")} }\n",
     "probe.nu:1:56: error: a user stack cannot be the input of `str contains` in a probe"},
    {"StackInMut",
     "probe tracepoint:syscalls:sys_exit_read {|e| mut s = $e.kstack }\n",
     "probe.nu:1:54: error: a kernel stack cannot be the value of a `mut` variable in a probe"},
    {"StackFieldTypo",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {s: $e.ustak} }\n",
     "probe.nu:1:58: error: tracepoint `syscalls:sys_exit_read` has no field `ustak`\n"
     "probe.nu:1:58: help: did you mean `$e.ustack`?"},
};

INSTANTIATE_TEST_SUITE_P(Cases, CheckerErrors, ::testing::ValuesIn(kErrorCases),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace nubpf::testing

namespace nubpf::testing {
namespace {

class UserStrings : public ::testing::Test {
 protected:
  CheckResult Check(const std::string& text) { return CheckText(text, tracefs_); }
  FakeTracefs tracefs_;
};

// A u64 address is read as it is, at the default string length.
TEST_F(UserStrings, ReadsStringAtAddress) {
  CheckResult result = Check(
      "probe raw_tracepoint:sys_enter {|e|\n"
      "    emit {line: ($e.arg1 | read-user-string)}\n"
      "}\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("%0: u64 = ctx.load +8\n"), std::string::npos) << result.mir;
  EXPECT_NE(result.mir.find("%1: string[256] = str.user %0\n"), std::string::npos)
      << result.mir;
}

// A narrower int is widened to the u64 that the helper takes.
TEST_F(UserStrings, WidensNarrowAddress) {
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_exit_read {|e|\n"
      "    emit {s: ($e.pid | read-user-string)}\n"
      "}\n");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_NE(result.mir.find("%1: u64 = cast %0\n"), std::string::npos) << result.mir;
  EXPECT_NE(result.mir.find("%2: string[256] = str.user %1\n"), std::string::npos)
      << result.mir;
}

TEST_F(UserStrings, RejectsStringInput) {
  CheckResult result = Check(
      "probe tracepoint:syscalls:sys_exit_read {|e|\n"
      "    emit {s: ($e.comm | read-user-string)}\n"
      "}\n");
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.diagnostics.find("`read-user-string` takes an address read at run time, "
                                    "not a `string[16]`"),
            std::string::npos)
      << result.diagnostics;
}

}  // namespace
}  // namespace nubpf::testing
