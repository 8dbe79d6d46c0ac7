// nubpf-run under a flood of events. It stops on time under the events its
// own writes to standard output cause, each line it prints being a write(2)
// that the probe reports. A burst of getppid(2) calls overflows a tiny ring
// buffer, and the loss shows in the output, but not with a large one.

#include <bpf/libbpf.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/ring_buffer_size.h"
#include "tests/support/nushell.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

std::string CompileWriteProbe(TempDir& dir) {
  std::string source = dir.File("writes.nu");
  std::ofstream(source) << "probe tracepoint:syscalls:sys_enter_write {|e|\n"
                           "    emit {pid: $e.pid, bytes: $e.count}\n"
                           "}\n";
  std::string object = dir.File("writes.bpf.o");
  EXPECT_EQ(Compile(source, object), "");
  return object;
}

TEST(Flood, StopsAfterDuration) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string object = CompileWriteProbe(dir);

  Subprocess run({NubpfRunPath(), object, "--duration", "300ms"});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  // The output ends when nubpf-run exits; SIGKILL ends it if it did not.
  run.ReadRemaining(seconds(30));
  EXPECT_EQ(run.Stop(SIGKILL), 0) << "nubpf-run did not stop by itself";
}

TEST(Flood, StopsOnSigterm) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string object = CompileWriteProbe(dir);

  Subprocess run({NubpfRunPath(), object});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  ASSERT_TRUE(run.ReadLine(seconds(10)).has_value());
  ASSERT_EQ(kill(run.pid(), SIGTERM), 0);
  run.ReadRemaining(seconds(30));
  EXPECT_EQ(run.Stop(SIGKILL), 0) << "nubpf-run did not stop on SIGTERM";
}

constexpr int kFloodCalls = 100000;
constexpr char kFloodComm[] = "nubpf_flood";

// A probe that emits one 24-byte record (32 bytes in the ring buffer with
// the kernel's header) for each getppid(2) of the flood child.
std::string CompileGetppidProbe(TempDir& dir) {
  std::string source = dir.File("getppid.nu");
  std::ofstream(source) << "probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
                           "    if $e.comm == \"" << kFloodComm << "\" { emit {pid: $e.pid} }\n"
                           "}\n";
  std::string object = dir.File("getppid.bpf.o");
  EXPECT_EQ(Compile(source, object), "");
  return object;
}

struct FloodRun {
  std::string error;
  std::string output_path;
  std::string stderr_text;
};

// Runs the getppid probe with `flags` while the child calls getppid(2)
// kFloodCalls times as fast as it can, then stops it with SIGINT.
FloodRun RunFlood(TempDir& dir, const std::vector<std::string>& flags) {
  FloodRun result;
  std::vector<std::string> argv = {NubpfRunPath(), CompileGetppidProbe(dir)};
  argv.insert(argv.end(), flags.begin(), flags.end());
  Subprocess run(argv);
  if (!run.WaitForStderr("attached", seconds(20))) {
    result.error = run.stderr_text();
    return result;
  }
  if (!CallGetppidAs(kFloodComm, kFloodCalls)) {
    result.error = "the child failed";
    return result;
  }
  int code = run.Stop(SIGINT);
  result.output_path = dir.File("out");
  std::ofstream(result.output_path) << run.ReadRemaining(seconds(30));
  // Reads the rest of stderr, which ends with the exit summary, up to the
  // end of the output: no line contains the text waited for.
  run.WaitForStderr("\n\n", seconds(5));
  result.stderr_text = run.stderr_text();
  if (code != 0) result.error = "exit code " + std::to_string(code) + ": " + result.stderr_text;
  return result;
}

// Returns N of the exit summary `nubpf-run: N events lost: the ring buffer
// was full`, or -1 when stderr has no such line.
long long ExitSummaryLost(const std::string& stderr_text) {
  const std::string suffix = " events lost: the ring buffer was full";
  size_t start = 0;
  while (start < stderr_text.size()) {
    size_t end = stderr_text.find('\n', start);
    if (end == std::string::npos) end = stderr_text.size();
    std::string line = stderr_text.substr(start, end - start);
    start = end + 1;
    const std::string prefix = "nubpf-run: ";
    if (line.rfind(prefix, 0) != 0 || line.size() <= suffix.size() ||
        line.compare(line.size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    return std::stoll(line.substr(prefix.size()));
  }
  return -1;
}

TEST(Flood, TinyRingBufferReportsLossAsRecords) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  if (NuPath().empty()) GTEST_FAIL() << kNuMissing;
  TempDir dir;
  // 4096 bytes hold 128 records, far fewer than the burst.
  FloodRun run = RunFlood(dir, {"--format", "json", "--ringbuf-size", "4096"});
  ASSERT_EQ(run.error, "");
  long long summary = ExitSummaryLost(run.stderr_text);
  ASSERT_GT(summary, 0) << run.stderr_text;

  RunResult lost = EvaluateWithNushell(
      "open --raw " + run.output_path +
      " | from json --objects | where lost_events? != null | get lost_events | math sum");
  ASSERT_EQ(lost.exit_code, 0) << lost.err;
  EXPECT_EQ(std::stoll(lost.out), summary);

  // The probe counts only the child's calls, so each one either arrived
  // or was lost.
  RunResult arrived = EvaluateWithNushell(
      "open --raw " + run.output_path + " | from json --objects | where pid? != null | length");
  ASSERT_EQ(arrived.exit_code, 0) << arrived.err;
  EXPECT_EQ(std::stoll(arrived.out) + summary, kFloodCalls);
}

TEST(Flood, LargeRingBufferLosesNothing) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  if (NuPath().empty()) GTEST_FAIL() << kNuMissing;
  TempDir dir;
  // 64 MiB hold the whole burst (3.2 MB) even if nubpf-run read nothing.
  FloodRun run = RunFlood(dir, {"--format", "json", "--ringbuf-size", "64mib"});
  ASSERT_EQ(run.error, "");
  EXPECT_EQ(ExitSummaryLost(run.stderr_text), -1) << run.stderr_text;

  RunResult rows = EvaluateWithNushell("open --raw " + run.output_path +
                                       " | from json --objects | where pid? != null | length");
  ASSERT_EQ(rows.exit_code, 0) << rows.err;
  EXPECT_EQ(std::stoll(rows.out), kFloodCalls);
}

TEST(Flood, TableReportsLossOnStderrAsItHappens) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  FloodRun run = RunFlood(dir, {"--ringbuf-size", "4kib"});
  ASSERT_EQ(run.error, "");
  EXPECT_NE(run.stderr_text.find("in all so far)\n"), std::string::npos) << run.stderr_text;
  EXPECT_GT(ExitSummaryLost(run.stderr_text), 0) << run.stderr_text;

  std::ifstream in(run.output_path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find("lost"), std::string::npos);
}

TEST(RingBufferSize, DefaultIsWhatNubpfcWrites) {
  // nubpf-run's --help gives this default; nubpfc has no flag to change it.
  TempDir dir;
  std::string object = CompileGetppidProbe(dir);
  bpf_object* bpf = bpf_object__open_file(object.c_str(), nullptr);
  ASSERT_NE(bpf, nullptr);
  bpf_map* events = bpf_object__find_map_by_name(bpf, "nubpf_events");
  ASSERT_NE(events, nullptr);
  EXPECT_EQ(bpf_map__max_entries(events), runtime::kDefaultRingBufferBytes);
  bpf_object__close(bpf);
}

TEST(RingBufferSize, ObjectWithoutEventsWarns) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string source = dir.File("count.nu");
  std::ofstream(source) << "probe tracepoint:syscalls:sys_enter_getppid {|e| count }\n";
  std::string object = dir.File("count.bpf.o");
  ASSERT_EQ(Compile(source, object), "");

  RunResult run =
      RunToExit({NubpfRunPath(), object, "--ringbuf-size", "1mib", "--duration", "100ms"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("warning: --ringbuf-size has no effect: `" + object +
                         "` emits no events"),
            std::string::npos)
      << run.err;
}

TEST(RingBufferSize, InvalidSizeIsUsageError) {
  TempDir dir;
  std::string object = CompileGetppidProbe(dir);
  RunResult run = RunToExit({NubpfRunPath(), object, "--ringbuf-size", "100kb"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("invalid --ringbuf-size `100kb`: 100000 bytes is not a power of two"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("help: the kernel wants a power of two that is a multiple of the "
                         "page size"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("the nearest are `64kib` (65536 bytes) and `128kib` (131072 bytes)"),
            std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace nubpf::testing
