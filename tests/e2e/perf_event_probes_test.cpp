// `interval` and `profile` probes, which nubpf-run attaches to CPU clock
// perf events: an interval to one CPU's clock, a profile to every online
// CPU's. The rates are checked in loose ranges, because a loaded machine
// delays timers and the scheduler decides where a busy child runs.

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

std::string CompileProbe(const TempDir& dir, const std::string& text) {
  std::string source = dir.File("timers.nu");
  std::string object = dir.File("timers.bpf.o");
  std::ofstream(source) << text;
  std::string error = Compile(source, object);
  EXPECT_EQ(error, "") << text;
  return object;
}

// Reads the JSON counter lines of `output` into their counts by label.
std::map<std::string, uint64_t> Counts(const std::string& output) {
  std::map<std::string, uint64_t> counts;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_object() && record.contains("aggregation")) {
      counts[record["aggregation"]] = record["count"];
    }
  }
  return counts;
}

int OnlineCpuCount() { return static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)); }

// Returns the CPU time this process has used, in nanoseconds.
uint64_t ProcessCpuNanoseconds() {
  timespec now;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<uint64_t>(now.tv_sec) * 1000000000u +
         static_cast<uint64_t>(now.tv_nsec);
}

// Forks a child named `comm` that spins until it has used `cpu_time` of
// CPU time, however long other processes keep it waiting. Returns false
// when the fork fails or the child does not exit normally.
bool SpinAs(const char* comm, std::chrono::milliseconds cpu_time) {
  pid_t child = fork();
  if (child < 0) return false;
  if (child == 0) {
    prctl(PR_SET_NAME, comm);
    uint64_t end = ProcessCpuNanoseconds() +
                   static_cast<uint64_t>(cpu_time.count()) * 1000000u;
    volatile uint64_t spins = 0;
    while (ProcessCpuNanoseconds() < end) ++spins;
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

class PerfEventProbes : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  }
};

// Over 2 seconds, an interval of 100 ms fires about 20 times, and one of
// 20 Hz about 40 times.
TEST_F(PerfEventProbes, IntervalFiresAtItsRate) {
  TempDir dir;
  std::string object = CompileProbe(dir,
                                    "probe interval:ms:100 {|| count }\n"
                                    "probe interval:hz:20 {|| count }\n");

  RunResult result =
      RunToExit({NubpfRunPath(), object, "--duration", "2s", "--format", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::map<std::string, uint64_t> counts = Counts(result.out);
  ASSERT_EQ(counts.size(), 2u) << result.out;
  EXPECT_GE(counts["count"], 10u) << result.out;
  EXPECT_LE(counts["count"], 30u) << result.out;
  EXPECT_GE(counts["count_2"], 20u) << result.out;
  EXPECT_LE(counts["count_2"], 60u) << result.out;
}

// A child that spins for one second of CPU time is sampled about 99
// times, on whichever CPU it runs.
TEST_F(PerfEventProbes, ProfileSamplesBusyChild) {
  TempDir dir;
  std::string object = CompileProbe(
      dir, "probe profile:hz:99 {|e| if $e.comm == \"nbf-busy\" { count } }\n");

  Subprocess run({NubpfRunPath(), object, "--format", "json"});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  ASSERT_TRUE(SpinAs("nbf-busy", std::chrono::milliseconds(1000)));
  EXPECT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();

  std::map<std::string, uint64_t> counts = Counts(run.ReadRemaining(seconds(10)));
  EXPECT_GE(counts["count"], 40u);
  EXPECT_LE(counts["count"], 200u);
}

// The clock of every online CPU fires, busy or idle: about 99 times a
// second on each.
TEST_F(PerfEventProbes, ProfileSamplesEveryCpu) {
  TempDir dir;
  std::string object = CompileProbe(dir, "probe profile:hz:99 {|| count }\n");

  RunResult result =
      RunToExit({NubpfRunPath(), object, "--duration", "1s", "--format", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  uint64_t expected = 99u * static_cast<uint64_t>(OnlineCpuCount());
  uint64_t count = Counts(result.out)["count"];
  EXPECT_GE(count, expected / 2) << result.out;
  EXPECT_LE(count, expected * 3 / 2) << result.out;
}

// perf_event_open(2) rejects a frequency above
// /proc/sys/kernel/perf_event_max_sample_rate, and the error names that
// limit.
TEST_F(PerfEventProbes, FrequencyAboveKernelMaximum) {
  TempDir dir;
  std::string object =
      CompileProbe(dir, "probe profile:hz:999999999999 {|| count }\n");

  RunResult result = RunToExit({NubpfRunPath(), object, "--duration", "1s"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("cannot attach program `profile_hz_999999999999`"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("the kernel refused to open a CPU clock perf event "
                            "on CPU"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("999999999999 Hz is above the kernel's maximum "
                            "sample rate"),
            std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace nubpf::testing
