// `$e.kstack` and `$e.ustack` against the kernel: a child with a known
// name calls getppid(2) and stays alive while nubpf-run names the frames,
// and tests/programs/stack_target.c, built with frame pointers, shows a
// user stack deeper than one frame. The tests check function names, never
// offsets, which change with every kernel and libc build.

#include <signal.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/getppid_child.h"
#include "tests/support/nushell.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

// True when some frame of `stack`, a JSON array of frame names, is in the
// function `function`: its name starts with `function+0x`.
bool HasFrameIn(const nlohmann::json& stack, const std::string& function) {
  for (const nlohmann::json& frame : stack) {
    if (frame.get<std::string>().rfind(function + "+0x", 0) == 0) return true;
  }
  return false;
}

class Stacks : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  }

  // Compiles `text` with `flags` after the file name; an empty string on
  // success, else nubpfc's messages.
  std::string CompileProbe(const std::string& text,
                           const std::vector<std::string>& flags = {}) {
    std::ofstream(dir_.File("stack.nu")) << text;
    std::vector<std::string> argv = {NubpfcPath(), dir_.File("stack.nu"), "-o", object()};
    argv.insert(argv.end(), flags.begin(), flags.end());
    RunResult result = RunToExit(argv);
    return result.exit_code == 0 ? "" : result.err;
  }

  std::string object() const { return dir_.File("stack.bpf.o"); }

  TempDir dir_;
};

// Runs `object` in `format` while a child named `comm` calls getppid(2),
// and returns everything nubpf-run printed until it stopped. The child
// lives until nubpf-run has stopped, so its stacks can be named at exit.
std::string RunWithChild(const std::string& object, const char* format, const char* comm) {
  Subprocess run({NubpfRunPath(), object, "--format", format});
  EXPECT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  GetppidChild child(comm);
  EXPECT_TRUE(child.WaitForCall());
  // The ring buffer is polled every 200 ms at most.
  std::string output = run.ReadRemaining(std::chrono::milliseconds(1500));
  EXPECT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();
  output += run.ReadRemaining(seconds(5));
  EXPECT_TRUE(child.Finish());
  return output;
}

// Returns the JSON lines of `output` that have the member `key`.
std::vector<nlohmann::json> RecordsWith(const std::string& output, const std::string& key) {
  std::vector<nlohmann::json> records;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_object() && record.contains(key)) records.push_back(record);
  }
  return records;
}

TEST_F(Stacks, KernelStackHasSyscallEntry) {
  ASSERT_EQ(CompileProbe("probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
                         "    if $e.comm == \"nbf-kstack\" { emit {comm: $e.comm, stack: $e.kstack} }\n"
                         "}\n"),
            "");
  std::vector<nlohmann::json> events =
      RecordsWith(RunWithChild(object(), "json", "nbf-kstack"), "stack");
  ASSERT_EQ(events.size(), 1u);

  const nlohmann::json& stack = events[0]["stack"];
  ASSERT_TRUE(stack.is_array()) << stack;
  ASSERT_FALSE(stack.empty());
  EXPECT_TRUE(HasFrameIn(stack, "do_syscall_64")) << stack;
  EXPECT_EQ(events[0]["comm"], "nbf-kstack");

  // Nushell reads the event's stack as a list of strings.
  ASSERT_FALSE(NuPath().empty()) << kNuMissing;
  RunResult nu = EvaluateWithNushell("r#'" + events[0].dump() +
                                     "'# | from json | get stack | describe");
  EXPECT_EQ(nu.out.substr(0, nu.out.find_last_not_of('\n') + 1), "\"list<string>\"")
      << nu.err;
}

TEST_F(Stacks, UserStackStartsInLibcGetppid) {
  // The child calls getppid() through libc, whose wrapper makes the
  // system call: the address after that instruction is the top frame.
  ASSERT_EQ(CompileProbe("probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
                         "    if $e.comm == \"nbf-ustack\" { emit {pid: $e.pid, stack: $e.ustack} }\n"
                         "}\n"),
            "");
  std::vector<nlohmann::json> events =
      RecordsWith(RunWithChild(object(), "json", "nbf-ustack"), "stack");
  ASSERT_EQ(events.size(), 1u);

  const nlohmann::json& stack = events[0]["stack"];
  ASSERT_TRUE(stack.is_array()) << stack;
  ASSERT_FALSE(stack.empty());
  EXPECT_EQ(stack[0].get<std::string>().rfind("getppid+0x", 0), 0u) << stack;
}

TEST_F(Stacks, EventTableShowsOneFramePerLine) {
  ASSERT_EQ(CompileProbe("probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
                         "    if $e.comm == \"nbf-ktable\" { emit {comm: $e.comm, stack: $e.kstack} }\n"
                         "}\n"),
            "");
  std::string output = RunWithChild(object(), "table", "nbf-ktable");

  // comm is a 16-byte string, a column of 15, so the stack starts at 17.
  std::string frame_indent(17, ' ');
  EXPECT_NE(output.find("comm             stack\n"), std::string::npos) << output;
  EXPECT_NE(output.find("nbf-ktable       "), std::string::npos) << output;
  EXPECT_NE(output.find("\n" + frame_indent + "do_syscall_64+0x"), std::string::npos) << output;
}

TEST_F(Stacks, KernelStackCountTable) {
  ASSERT_EQ(CompileProbe("probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
                         "    if $e.comm == \"nbf-kcount\" { $e.kstack | count }\n"
                         "}\n"),
            "");
  std::string output = RunWithChild(object(), "table", "nbf-kcount");

  EXPECT_NE(output.find("count_by_kstack\ncount  kstack\n    1  "), std::string::npos)
      << output;
  EXPECT_NE(output.find("\n       do_syscall_64+0x"), std::string::npos) << output;
}

TEST_F(Stacks, KernelStackCountJson) {
  ASSERT_EQ(CompileProbe("probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
                         "    if $e.comm == \"nbf-kjson\" { $e.kstack | count }\n"
                         "}\n"),
            "");
  std::vector<nlohmann::json> rows =
      RecordsWith(RunWithChild(object(), "json", "nbf-kjson"), "kstack");
  ASSERT_EQ(rows.size(), 1u);

  EXPECT_EQ(rows[0]["aggregation"], "count_by_kstack");
  EXPECT_EQ(rows[0]["count"], 1);
  ASSERT_TRUE(rows[0]["kstack"].is_array()) << rows[0];
  EXPECT_TRUE(HasFrameIn(rows[0]["kstack"], "do_syscall_64")) << rows[0];
}

TEST_F(Stacks, UserStackKeyNamedWhileProcessRuns) {
  ASSERT_EQ(CompileProbe("probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
                         "    if $e.comm == \"nbf-ucount\" { $e.ustack | count }\n"
                         "}\n"),
            "");
  std::vector<nlohmann::json> rows =
      RecordsWith(RunWithChild(object(), "json", "nbf-ucount"), "ustack");
  ASSERT_EQ(rows.size(), 1u);

  const nlohmann::json& stack = rows[0]["ustack"];
  ASSERT_FALSE(stack.empty()) << rows[0];
  EXPECT_EQ(stack[0].get<std::string>().rfind("getppid+0x", 0), 0u) << rows[0];
}

TEST_F(Stacks, UserStackKeyOfExitedProcessShowsAddresses) {
  // CallGetppidAs() waits for its child to exit, so nubpf-run cannot read
  // the child's memory map when it prints the counter at exit.
  ASSERT_EQ(CompileProbe("probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
                         "    if $e.comm == \"nbf-gone\" { $e.ustack | count }\n"
                         "}\n"),
            "");
  Subprocess run({NubpfRunPath(), object(), "--format", "json"});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  ASSERT_TRUE(CallGetppidAs("nbf-gone"));
  ASSERT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();
  std::vector<nlohmann::json> rows = RecordsWith(run.ReadRemaining(seconds(5)), "ustack");
  ASSERT_EQ(rows.size(), 1u);

  const nlohmann::json& stack = rows[0]["ustack"];
  ASSERT_FALSE(stack.empty()) << rows[0];
  std::string top = stack[0].get<std::string>();
  EXPECT_EQ(top.rfind("0x", 0), 0u) << rows[0];
  EXPECT_GT(std::stoull(top, nullptr, 16), 0u) << rows[0];
}

TEST_F(Stacks, UprobeUserStackThroughFramePointers) {
  // At the first instruction of nubpf_stack_inner the frame pointer is
  // still its caller's. Older kernels start the walk there and leave out
  // the caller, nubpf_stack_outer. Newer ones, such as 6.18, also read the
  // return address at the top of the stack. main() is there either way.
  std::string target = NUBPF_STACK_TARGET;
  ASSERT_EQ(CompileProbe("probe uprobe:" + target + ":nubpf_stack_inner {|e|\n"
                         "    emit {pid: $e.pid, stack: $e.ustack}\n"
                         "}\n"),
            "");
  Subprocess run({NubpfRunPath(), object(), "--format", "json"});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  Subprocess program({target});
  std::optional<std::string> called = program.ReadLine(seconds(10));
  std::optional<std::string> event = run.ReadLine(seconds(10));
  program.Stop(SIGTERM);
  EXPECT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();
  ASSERT_EQ(called, "called 4");
  ASSERT_TRUE(event.has_value()) << run.stderr_text();

  nlohmann::json record = nlohmann::json::parse(*event);
  EXPECT_EQ(record["pid"], program.pid());
  const nlohmann::json& stack = record["stack"];
  ASSERT_GE(stack.size(), 2u) << record;
  EXPECT_EQ(stack[0], "nubpf_stack_inner+0x0") << record;
  EXPECT_TRUE(HasFrameIn(stack, "main")) << record;
}

TEST_F(Stacks, StackDepthLimitsFrames) {
  ASSERT_EQ(CompileProbe("probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
                         "    if $e.comm == \"nbf-depth\" { emit {stack: $e.kstack} }\n"
                         "}\n",
                         {"--stack-depth", "2"}),
            "");
  std::vector<nlohmann::json> events =
      RecordsWith(RunWithChild(object(), "json", "nbf-depth"), "stack");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["stack"].size(), 2u) << events[0];
}

TEST(StackDepthOption, OutOfRangeIsUsageError) {
  TempDir dir;
  std::ofstream(dir.File("stack.nu")) << "probe tracepoint:syscalls:sys_enter_getppid {|e| count }\n";
  for (const char* depth : {"0", "128"}) {
    RunResult result = RunToExit({NubpfcPath(), dir.File("stack.nu"), "--stack-depth", depth});
    EXPECT_EQ(result.exit_code, 2) << depth;
    EXPECT_NE(result.err.find("--stack-depth"), std::string::npos) << result.err;
  }
}

}  // namespace
}  // namespace nubpf::testing
