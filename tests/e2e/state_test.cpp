// Keyed stores, timers and globals in the kernel: values that one probe run
// leaves for a later one, checked against children with known workloads.

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/probe_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

constexpr int64_t kMillisecond = 1000000;

// Forks a child named `comm` that reads one byte from a pipe twice. A writer
// process fills the pipe after `first_ms`, and again `second_ms` later, so
// the reads block for about those times. Returns false when a step failed.
bool ReadPipeWithDelays(const char* comm, int first_ms, int second_ms) {
  pid_t child = fork();
  if (child < 0) return false;
  if (child == 0) {
    // Only async-signal-safe calls from here on: the test is threaded.
    int fds[2];
    if (pipe(fds) != 0) _exit(1);
    pid_t writer = fork();
    if (writer == 0) {
      close(fds[0]);
      usleep(static_cast<useconds_t>(first_ms) * 1000);
      if (write(fds[1], "a", 1) != 1) _exit(1);
      usleep(static_cast<useconds_t>(second_ms) * 1000);
      if (write(fds[1], "b", 1) != 1) _exit(1);
      _exit(0);
    }
    close(fds[1]);
    prctl(PR_SET_NAME, comm);
    char byte = 0;
    if (read(fds[0], &byte, 1) != 1) _exit(2);
    if (read(fds[0], &byte, 1) != 1) _exit(3);
    int status = 0;
    waitpid(writer, &status, 0);
    _exit(WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 4);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

class State : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  }
};

// start-timer on the entry of each read and stop-timer on its exit give
// the time the read blocked, which the writer's delays set.
TEST_F(State, TimerMeasuresBlockedReads) {
  ProbeRun run = RunProbeWithChild(
      "probe tracepoint:syscalls:sys_enter_read {|e|\n"
      "    if $e.comm == \"nubpf-latency\" { start-timer --key $e.tid }\n"
      "}\n"
      "probe tracepoint:syscalls:sys_exit_read {|e|\n"
      "    let took = stop-timer --key $e.tid\n"
      "    if $took != null { emit {took: $took, ret: $e.ret} }\n"
      "}\n",
      [] { return ReadPipeWithDelays("nubpf-latency", 100, 250); }, /*expected_lines=*/2);
  ASSERT_EQ(run.error, "");
  ASSERT_EQ(run.lines.size(), 2u);

  nlohmann::json first = nlohmann::json::parse(run.lines[0]);
  nlohmann::json second = nlohmann::json::parse(run.lines[1]);
  EXPECT_EQ(first["ret"], 1) << run.lines[0];
  EXPECT_EQ(second["ret"], 1) << run.lines[1];
  // The reads start before the writer's delays end, and end soon after.
  int64_t first_ns = first["took"];
  int64_t second_ns = second["took"];
  EXPECT_GE(first_ns, 90 * kMillisecond) << run.lines[0];
  EXPECT_LT(first_ns, 1000 * kMillisecond) << run.lines[0];
  EXPECT_GE(second_ns, 240 * kMillisecond) << run.lines[1];
  EXPECT_LT(second_ns, 1000 * kMillisecond) << run.lines[1];
}

// A null test on the left of `and` or `or` lets the right side use the
// timer's value, as Nushell's short circuit does. The first read blocks
// for about 5ms and the second for about 250ms; no timer has key 0.
TEST_F(State, NullTestNarrowsAndOr) {
  ProbeRun run = RunProbeWithChild(
      "probe tracepoint:syscalls:sys_enter_read {|e|\n"
      "    if $e.comm == \"nubpf-narrow\" { start-timer --key $e.tid }\n"
      "}\n"
      "probe tracepoint:syscalls:sys_exit_read {|e|\n"
      "    if $e.comm == \"nubpf-narrow\" {\n"
      "        let took = stop-timer --key $e.tid\n"
      "        let never = stop-timer --key 0\n"
      "        let slow_if = if $took != null and $took > 100ms { 1 } else { 0 }\n"
      "        emit {slow: ($took != null and $took > 100ms),\n"
      "              fast: ($took == null or $took < 100ms),\n"
      "              never_slow: ($never != null and $never > 0ns),\n"
      "              never_fast: ($never == null or $never < 100ms),\n"
      "              slow_if: $slow_if, took: ($took | default 0ns)}\n"
      "    }\n"
      "}\n",
      [] { return ReadPipeWithDelays("nubpf-narrow", 5, 250); }, /*expected_lines=*/2);
  ASSERT_EQ(run.error, "");
  ASSERT_EQ(run.lines.size(), 2u);

  nlohmann::json fast = nlohmann::json::parse(run.lines[0]);
  nlohmann::json slow = nlohmann::json::parse(run.lines[1]);
  int64_t fast_ns = fast["took"];
  int64_t slow_ns = slow["took"];
  EXPECT_GT(fast_ns, 0) << run.lines[0];
  EXPECT_LT(fast_ns, 100 * kMillisecond) << run.lines[0];
  EXPECT_GE(slow_ns, 240 * kMillisecond) << run.lines[1];
  EXPECT_EQ(fast["slow"], false) << run.lines[0];
  EXPECT_EQ(fast["fast"], true) << run.lines[0];
  EXPECT_EQ(fast["slow_if"], 0) << run.lines[0];
  EXPECT_EQ(slow["slow"], true) << run.lines[1];
  EXPECT_EQ(slow["fast"], false) << run.lines[1];
  EXPECT_EQ(slow["slow_if"], 1) << run.lines[1];
  for (const nlohmann::json& event : {fast, slow}) {
    EXPECT_EQ(event["never_slow"], false) << event.dump();
    EXPECT_EQ(event["never_fast"], true) << event.dump();
  }
}

// A stop-timer without a start is null, and stop-timer deletes the key, so
// a second stop of the same key is null too.
TEST_F(State, StopTimerWithoutStartIsNull) {
  ProbeRun run = RunProbeForChild(
      "probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
      "    if $e.comm == \"nubpf-stop\" {\n"
      "        start-timer calls --key {pid: $e.pid, comm: $e.comm}\n"
      "        let first = stop-timer calls --key {pid: $e.pid, comm: $e.comm}\n"
      "        let second = stop-timer calls --key {pid: $e.pid, comm: $e.comm}\n"
      "        let never = stop-timer calls --key {pid: 0, comm: $e.comm}\n"
      "        emit {first: ($first != null), second: ($second == null),\n"
      "              never: ($never | default 12345ns)}\n"
      "    }\n"
      "}\n",
      "nubpf-stop");
  ASSERT_EQ(run.error, "");
  nlohmann::json event = nlohmann::json::parse(run.lines[0]);
  EXPECT_EQ(event["first"], true) << run.lines[0];
  EXPECT_EQ(event["second"], true) << run.lines[0];
  EXPECT_EQ(event["never"], 12345) << run.lines[0];
}

// A value stored on the entry of getppid is there on its exit, under the
// same record key, and gone after `store delete`.
TEST_F(State, StoreSetInOneProbeGetInAnother) {
  ProbeRun run = RunProbeWithChild(
      "probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
      "    if $e.comm == \"nubpf-store\" {\n"
      "        $e.pid * 10 + 7 | store set marked --key {pid: $e.pid, comm: $e.comm}\n"
      "        true | store set flagged --key $e.tid --max-entries 16\n"
      "    }\n"
      "}\n"
      "probe tracepoint:syscalls:sys_exit_getppid {|e|\n"
      "    if $e.comm == \"nubpf-store\" {\n"
      "        let marked = store get marked --key {pid: $e.pid, comm: $e.comm}\n"
      "        store delete marked --key {pid: $e.pid, comm: $e.comm}\n"
      "        let gone = store get marked --key {pid: $e.pid, comm: $e.comm}\n"
      "        let flagged = store get flagged --key $e.tid | default false\n"
      "        if $marked == null {\n"
      "            emit {pid: $e.pid, marked: -1, gone: ($gone == null), flagged: $flagged}\n"
      "        } else {\n"
      "            emit {pid: $e.pid, marked: $marked, gone: ($gone == null), flagged: $flagged}\n"
      "        }\n"
      "    }\n"
      "}\n",
      [] { return CallGetppidAs("nubpf-store", /*times=*/2); }, /*expected_lines=*/2);
  ASSERT_EQ(run.error, "");
  for (const std::string& line : run.lines) {
    nlohmann::json event = nlohmann::json::parse(line);
    int64_t pid = event["pid"];
    EXPECT_EQ(event["marked"], pid * 10 + 7) << line;
    EXPECT_EQ(event["gone"], true) << line;
    EXPECT_EQ(event["flagged"], true) << line;
  }
}

// A global that probes add to is shared by all runs and CPUs: bpftool reads
// it in the `.data` map while the probe runs, and the `end` block reads it.
TEST_F(State, GlobalSummedOverWorkload) {
  TempDir dir;
  std::string source = dir.File("sums.nu");
  std::string object = dir.File("sums.bpf.o");
  std::ofstream(source) << "mut calls = 0\n"
                           "mut waited = 0ns\n"
                           "mut seen = false\n"
                           "probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
                           "    if $e.comm == \"nubpf-global\" {\n"
                           "        $calls += 1\n"
                           "        $waited += 10ns\n"
                           "        $waited -= 3ns\n"
                           "        $seen = true\n"
                           "    }\n"
                           "}\n"
                           "probe end {|| emit {calls: $calls, waited: $waited, seen: $seen} }\n";
  ASSERT_EQ(Compile(source, object), "");

  Subprocess run({NubpfRunPath(), object, "--format", "json"});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  ASSERT_TRUE(CallGetppidAs("nubpf-global", /*times=*/25));

  // libbpf names the map of `.data` after the object: `sums.data`.
  ASSERT_TRUE(std::filesystem::exists("/usr/sbin/bpftool")) << "run tools/setup.sh";
  RunResult dump = RunToExit({"/usr/sbin/bpftool", "--json", "map", "dump", "name", "sums.data"});
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  nlohmann::json entries = nlohmann::json::parse(dump.out);
  ASSERT_EQ(entries.size(), 1u) << dump.out;
  nlohmann::json variables = entries[0]["formatted"]["value"][".data"];
  ASSERT_EQ(variables.size(), 3u) << dump.out;
  EXPECT_EQ(variables[0]["calls"], 25) << dump.out;
  EXPECT_EQ(variables[1]["waited"], 25 * 7) << dump.out;
  EXPECT_EQ(variables[2]["seen"], true) << dump.out;

  EXPECT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();
  std::string end = run.ReadRemaining(seconds(10));
  nlohmann::json event = nlohmann::json::parse(end.substr(0, end.find('\n')));
  EXPECT_EQ(event["calls"], 25) << end;
  EXPECT_EQ(event["waited"], 175) << end;
  EXPECT_EQ(event["seen"], true) << end;
}

}  // namespace
}  // namespace nubpf::testing
