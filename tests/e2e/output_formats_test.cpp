// nubpf-run's NUON and CSV output and its --interval prints, read back by
// the real Nushell: a child with a known comm makes known system calls
// while samples/syscount.nu counts them. The tests read its count by comm,
// count_by_comm, and leave out its count by comm and system call number.

#include <signal.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/nushell.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

constexpr int kSyscalls = 2000;
constexpr char kChildComm[] = "nubpf_formats";

// Runs syscount with `flags` while the child makes its calls, and writes
// what nubpf-run printed to `output_path`. Returns "" or what failed.
std::string RunSyscount(const TempDir& dir, const std::vector<std::string>& flags,
                        const std::string& output_path, seconds wait_after = seconds(0)) {
  std::string object = dir.File("syscount.bpf.o");
  std::string error = Compile(SourcePath("samples/syscount.nu"), object);
  if (!error.empty()) return error;

  std::vector<std::string> argv = {NubpfRunPath(), object};
  argv.insert(argv.end(), flags.begin(), flags.end());
  Subprocess run(argv);
  if (!run.WaitForStderr("attached", seconds(20))) return run.stderr_text();
  if (!CallGetppidAs(kChildComm, kSyscalls)) return "the child failed";
  std::this_thread::sleep_for(wait_after);
  if (run.Stop(SIGINT) != 0) return run.stderr_text();
  std::ofstream(output_path) << run.ReadRemaining(seconds(5));
  return "";
}

// A Nushell `where` that keeps the child's row of count_by_comm.
std::string ChildRows() {
  return std::string("where aggregation == 'count_by_comm' and comm == '") + kChildComm + "'";
}

TEST(OutputFormats, NushellReadsNuonLines) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  if (NuPath().empty()) GTEST_FAIL() << kNuMissing;
  TempDir dir;
  std::string output = dir.File("out.nuon");
  ASSERT_EQ(RunSyscount(dir, {"--format", "nuon"}, output), "");

  RunResult count = EvaluateWithNushell(
      "open --raw " + output +
      " | lines | each { from nuon } | " + ChildRows() + " | get 0.count");
  ASSERT_EQ(count.exit_code, 0) << count.err;
  EXPECT_GE(std::stoll(count.out), kSyscalls) << count.out;
}

TEST(OutputFormats, NushellReadsCsv) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  if (NuPath().empty()) GTEST_FAIL() << kNuMissing;
  TempDir dir;
  std::string output = dir.File("out.csv");
  ASSERT_EQ(RunSyscount(dir, {"--format", "csv"}, output), "");

  RunResult count = EvaluateWithNushell("open --raw " + output +
                                        " | from csv | " + ChildRows() +
                                        " | get 0.count");
  ASSERT_EQ(count.exit_code, 0) << count.err;
  EXPECT_GE(std::stoll(count.out), kSyscalls) << count.out;
}

TEST(OutputFormats, IntervalNuonHasDatetimes) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  if (NuPath().empty()) GTEST_FAIL() << kNuMissing;
  TempDir dir;
  std::string output = dir.File("out.nuon");
  ASSERT_EQ(RunSyscount(dir, {"--format", "nuon", "--interval", "300ms"}, output, seconds(1)),
            "");

  // At least three prints: the intervals during the second of waiting,
  // and the one at exit. Each has the time as a Nushell datetime.
  RunResult times = EvaluateWithNushell(
      "open --raw " + output +
      " | lines | each { from nuon } | " + ChildRows() +
      " | each { $in.time | describe } | uniq");
  ASSERT_EQ(times.exit_code, 0) << times.err;
  EXPECT_EQ(times.out, "[\"datetime\"]\n");
  RunResult prints = EvaluateWithNushell("open --raw " + output +
                                         " | lines | each { from nuon } | get time | uniq | length");
  ASSERT_EQ(prints.exit_code, 0) << prints.err;
  EXPECT_GE(std::stoll(prints.out), 2) << prints.out;
}

TEST(OutputFormats, IntervalResetClearsCounts) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  if (NuPath().empty()) GTEST_FAIL() << kNuMissing;
  TempDir dir;
  std::string output = dir.File("out.nuon");
  ASSERT_EQ(RunSyscount(dir, {"--format", "nuon", "--interval", "300ms", "--reset"}, output,
                        seconds(1)),
            "");

  // The child's calls are counted once over all prints, because each
  // print clears what it showed.
  RunResult total = EvaluateWithNushell("open --raw " + output +
                                        " | lines | each { from nuon } | " + ChildRows() +
                                        " | get count | math sum");
  ASSERT_EQ(total.exit_code, 0) << total.err;
  long long sum = std::stoll(total.out);
  EXPECT_GE(sum, kSyscalls);
  EXPECT_LT(sum, 2 * kSyscalls);
}

TEST(OutputFormats, IntervalTableHasTimeHeaders) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string output = dir.File("out.txt");
  ASSERT_EQ(RunSyscount(dir, {"--interval", "300ms"}, output, seconds(1)), "");
  std::ifstream in(output);
  int headers = 0;
  for (std::string line; std::getline(in, line);) {
    // `2025-01-02 15:04:05`
    if (line.size() == 19 && line[4] == '-' && line[10] == ' ' && line[13] == ':') ++headers;
  }
  EXPECT_GE(headers, 3);
}

TEST(OutputFormats, IntervalStopsWhenReaderLeaves) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string object = dir.File("syscount.bpf.o");
  ASSERT_EQ(Compile(SourcePath("samples/syscount.nu"), object), "");

  // `head` leaves after the first line, and the next interval print finds
  // the pipe closed. The run ends there, long before the 30 seconds.
  auto start = std::chrono::steady_clock::now();
  RunResult run = RunToExit(
      {"/bin/bash", "-c",
       "'" + NubpfRunPath() + "' '" + object +
           "' --interval 200ms --duration 30 | head -n 1; exit ${PIPESTATUS[0]}"});
  // nubpf-run's own exit status: a closed stdout ends the run normally.
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(15)) << run.err;
}

// Runs a probe that emits one event per getppid call of the child, with
// a duration and a file size among its fields, and returns stdout.
std::string RunEventProbe(const TempDir& dir, const std::string& format, std::string* error) {
  std::string source = dir.File("events.nu");
  std::string object = dir.File("events.bpf.o");
  std::ofstream(source) << "probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
                           "    if $e.comm == \"" << kChildComm << "\" {\n"
                           "        emit {comm: $e.comm, waited: 1500ns, size: 4kb}\n"
                           "    }\n"
                           "}\n";
  *error = Compile(source, object);
  if (!error->empty()) return "";
  Subprocess run({NubpfRunPath(), object, "--format", format});
  if (!run.WaitForStderr("attached", seconds(20))) {
    *error = run.stderr_text();
    return "";
  }
  if (!CallGetppidAs(kChildComm, 2)) *error = "the child failed";
  if (run.Stop(SIGINT) != 0) *error = run.stderr_text();
  return run.ReadRemaining(seconds(5));
}

TEST(OutputFormats, NushellReadsNuonEvents) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  if (NuPath().empty()) GTEST_FAIL() << kNuMissing;
  TempDir dir;
  std::string error;
  std::string output = RunEventProbe(dir, "nuon", &error);
  ASSERT_EQ(error, "");
  std::string path = dir.File("events.nuon");
  std::ofstream(path) << output;

  RunResult types = EvaluateWithNushell(
      "open --raw " + path +
      " | lines | each { from nuon } | each { [($in.waited | describe) ($in.size | describe)] }"
      " | flatten | uniq");
  ASSERT_EQ(types.exit_code, 0) << types.err;
  EXPECT_EQ(types.out, "[\"duration\",\"filesize\"]\n") << output;
  RunResult count = EvaluateWithNushell("open --raw " + path +
                                        " | lines | each { from nuon } | length");
  ASSERT_EQ(count.exit_code, 0) << count.err;
  EXPECT_EQ(count.out, "2\n") << output;
}

TEST(OutputFormats, CsvEventsUnderOneHeader) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string error;
  std::string output = RunEventProbe(dir, "csv", &error);
  ASSERT_EQ(error, "");
  std::string row = std::string(kChildComm) + ",1500,4000\n";
  EXPECT_EQ(output, "comm,waited,size\n" + row + row);
}

}  // namespace
}  // namespace nubpf::testing
