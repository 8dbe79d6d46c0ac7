// nubpf-run --timestamps, read back by the real Nushell: a child with a
// known comm closes the file descriptors 100000, 100001, ... in order,
// which fail with EBADF, and the probe emits each one. The times come from
// the probe, so in descriptor order they never decrease.

#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/nushell.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

constexpr int kCloses = 500;
constexpr int kFirstDescriptor = 100000;
constexpr char kChildComm[] = "nubpf_times";

std::string CompileCloseProbe(const TempDir& dir) {
  std::string source = dir.File("closes.nu");
  std::ofstream(source) << "probe tracepoint:syscalls:sys_enter_close {|e|\n"
                           "    if $e.comm == \"" << kChildComm << "\" {\n"
                           "        emit {fd: $e.fd}\n"
                           "        print $\"closing ($e.fd)\"\n"
                           "    }\n"
                           "}\n";
  std::string object = dir.File("closes.bpf.o");
  EXPECT_EQ(Compile(source, object), "");
  return object;
}

// Forks a child named kChildComm that closes kCloses descriptors that are
// not open, in increasing order, and waits for it.
bool CloseDescriptorsInOrder() {
  pid_t child = fork();
  if (child < 0) return false;
  if (child == 0) {
    prctl(PR_SET_NAME, kChildComm);
    for (int i = 0; i < kCloses; ++i) syscall(SYS_close, kFirstDescriptor + i);
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// Runs the probe with `flags` while the child closes its descriptors, and
// writes what nubpf-run printed to `output_path`. Returns "" or what failed.
std::string RunCloses(const TempDir& dir, const std::vector<std::string>& flags,
                      const std::string& output_path) {
  std::string object = CompileCloseProbe(dir);
  std::vector<std::string> argv = {NubpfRunPath(), object};
  argv.insert(argv.end(), flags.begin(), flags.end());
  Subprocess run(argv);
  if (!run.WaitForStderr("attached", seconds(20))) return run.stderr_text();
  if (!CloseDescriptorsInOrder()) return "the child failed";
  if (run.Stop(SIGINT) != 0) return run.stderr_text();
  std::ofstream(output_path) << run.ReadRemaining(seconds(5));
  return "";
}

// A Nushell pipeline that reads NUON lines and keeps the `emit` records.
std::string NuonEmits(const std::string& path) {
  return "open --raw " + path + " | lines | each { from nuon } | where fd? != null";
}

TEST(EventTimes, RelativeNuonIsNonDecreasingDurations) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  if (NuPath().empty()) GTEST_FAIL() << kNuMissing;
  TempDir dir;
  std::string output = dir.File("out.nuon");
  ASSERT_EQ(RunCloses(dir, {"--format", "nuon", "--timestamps", "relative"}, output), "");

  RunResult type = EvaluateWithNushell(NuonEmits(output) + " | get time | each { describe } | uniq");
  ASSERT_EQ(type.exit_code, 0) << type.err;
  EXPECT_EQ(type.out, "[\"duration\"]\n");

  RunResult count = EvaluateWithNushell(NuonEmits(output) + " | length");
  ASSERT_EQ(count.exit_code, 0) << count.err;
  EXPECT_EQ(std::stoll(count.out), kCloses);

  // In descriptor order, which is the order of the calls, the times never
  // go back.
  RunResult ordered = EvaluateWithNushell(
      "let times = (" + NuonEmits(output) + " | sort-by fd | get time); ($times | sort) == $times");
  ASSERT_EQ(ordered.exit_code, 0) << ordered.err;
  EXPECT_EQ(ordered.out, "true\n");

  // Every call came after the attach and within the test's run.
  RunResult range = EvaluateWithNushell(NuonEmits(output) +
                                        " | all {|row| $row.time > 0ns and $row.time < 60sec }");
  ASSERT_EQ(range.exit_code, 0) << range.err;
  EXPECT_EQ(range.out, "true\n");

  // The print lines get a time too.
  RunResult prints = EvaluateWithNushell(
      "open --raw " + output +
      " | lines | each { from nuon } | where print? != null | get time | each { describe } | uniq");
  ASSERT_EQ(prints.exit_code, 0) << prints.err;
  EXPECT_EQ(prints.out, "[\"duration\"]\n");
}

TEST(EventTimes, WallNuonIsNearTestClock) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  if (NuPath().empty()) GTEST_FAIL() << kNuMissing;
  TempDir dir;
  std::string output = dir.File("out.nuon");
  ASSERT_EQ(RunCloses(dir, {"--format", "nuon", "--timestamps", "wall"}, output), "");

  RunResult type = EvaluateWithNushell(NuonEmits(output) + " | get time | each { describe } | uniq");
  ASSERT_EQ(type.exit_code, 0) << type.err;
  EXPECT_EQ(type.out, "[\"datetime\"]\n");

  // The run ended just now, and lasted well under a minute.
  RunResult near = EvaluateWithNushell(
      "let now = (date now); " + NuonEmits(output) +
      " | all {|row| $row.time <= ($now + 5sec) and $row.time >= ($now - 60sec) }");
  ASSERT_EQ(near.exit_code, 0) << near.err;
  EXPECT_EQ(near.out, "true\n");

  RunResult ordered = EvaluateWithNushell(
      "let times = (" + NuonEmits(output) + " | sort-by fd | get time); ($times | sort) == $times");
  ASSERT_EQ(ordered.exit_code, 0) << ordered.err;
  EXPECT_EQ(ordered.out, "true\n");
}

TEST(EventTimes, JsonRelativeIsNanoseconds) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  if (NuPath().empty()) GTEST_FAIL() << kNuMissing;
  TempDir dir;
  std::string output = dir.File("out.json");
  ASSERT_EQ(RunCloses(dir, {"--format", "json", "--timestamps", "relative"}, output), "");

  RunResult rows = EvaluateWithNushell(
      "open --raw " + output +
      " | from json --objects | where fd? != null"
      " | all {|row| ($row.time | describe) == int and $row.time > 0 }");
  ASSERT_EQ(rows.exit_code, 0) << rows.err;
  EXPECT_EQ(rows.out, "true\n");
}

TEST(EventTimes, JsonWallIsRfc3339) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  if (NuPath().empty()) GTEST_FAIL() << kNuMissing;
  TempDir dir;
  std::string output = dir.File("out.json");
  ASSERT_EQ(RunCloses(dir, {"--format", "json", "--timestamps", "wall"}, output), "");

  RunResult near = EvaluateWithNushell(
      "let now = (date now); open --raw " + output +
      " | from json --objects | where fd? != null"
      " | all {|row| ($row.time | into datetime) >= ($now - 60sec) }");
  ASSERT_EQ(near.exit_code, 0) << near.err;
  EXPECT_EQ(near.out, "true\n");
}

TEST(EventTimes, TableStartsEachLineWithSeconds) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string output = dir.File("out.txt");
  ASSERT_EQ(RunCloses(dir, {"--timestamps", "relative"}, output), "");

  std::ifstream in(output);
  std::string header;
  ASSERT_TRUE(std::getline(in, header));
  EXPECT_EQ(header.rfind("       time  ", 0), 0u) << header;
  EXPECT_NE(header.find("fd"), std::string::npos) << header;

  int rows = 0;
  int prints = 0;
  for (std::string line; std::getline(in, line);) {
    // `   0.123456  ...`: seconds with six decimals, right-aligned.
    ASSERT_GE(line.size(), 13u) << line;
    std::string time = line.substr(0, 11);
    size_t dot = time.find('.');
    ASSERT_NE(dot, std::string::npos) << line;
    EXPECT_EQ(time.size() - dot - 1, 6u) << line;
    if (line.find("closing ") != std::string::npos) {
      ++prints;
    } else {
      ++rows;
    }
  }
  EXPECT_EQ(rows, kCloses);
  EXPECT_EQ(prints, kCloses);
}

TEST(EventTimes, BeginBlockTimeIsNegative) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  if (NuPath().empty()) GTEST_FAIL() << kNuMissing;
  TempDir dir;
  std::string source = dir.File("begin.nu");
  std::ofstream(source) << "probe begin {|| emit {step: 1} }\n"
                           "probe end {|| emit {step: 2} }\n";
  std::string object = dir.File("begin.bpf.o");
  ASSERT_EQ(Compile(source, object), "");

  RunResult run = RunToExit(
      {NubpfRunPath(), object, "--format", "nuon", "--timestamps", "relative", "--duration",
       "200ms"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::string output = dir.File("out.nuon");
  std::ofstream(output) << run.out;

  // The `begin` block runs before the probes attach, and the `end` block
  // after the run.
  RunResult times = EvaluateWithNushell("open --raw " + output +
                                        " | lines | each { from nuon } | sort-by step"
                                        " | each {|row| $row.time < 0ns }");
  ASSERT_EQ(times.exit_code, 0) << times.err;
  EXPECT_EQ(times.out, "[true,false]\n");
}

TEST(EventTimes, OldObjectVersionIsUsageError) {
  TempDir dir;
  std::string object = CompileCloseProbe(dir);

  // Turns the object into one of metadata version 3 by editing its
  // version line, which has the same length.
  std::string bytes;
  {
    std::ifstream in(object, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  size_t line = bytes.find("nubpf\t6\n");
  ASSERT_NE(line, std::string::npos);
  bytes[line + 6] = '3';
  std::string old_object = dir.File("old.bpf.o");
  std::ofstream(old_object, std::ios::binary) << bytes;

  RunResult run = RunToExit({NubpfRunPath(), old_object, "--timestamps", "wall"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("has `.nubpf` metadata version 3"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("rebuild the object"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("attached"), std::string::npos) << run.err;
}

TEST(EventTimes, InvalidModeIsUsageError) {
  TempDir dir;
  std::string object = CompileCloseProbe(dir);
  RunResult run = RunToExit({NubpfRunPath(), object, "--timestamps", "monotonic"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("invalid --timestamps `monotonic`: expected `relative` or `wall`"),
            std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace nubpf::testing
