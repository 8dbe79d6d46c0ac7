// topio against the kernel, printing every interval with --reset. A child
// with a known comm reads and writes known byte counts in two phases, more
// than an interval apart, and the prints of each phase add up to exactly
// that phase's counts. Without --reset the second phase's prints would
// also contain the first phase's counts.

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <thread>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/sample_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kChildComm[] = "nubpf_topio";

// What one phase of the child does, with raw system calls so that libc
// adds no reads or writes: `writes` writes of `write_size` bytes to
// /dev/null and `reads` reads of `read_size` bytes from /dev/zero.
struct Phase {
  int writes;
  int write_size;
  int reads;
  int read_size;
};
constexpr Phase kFirst = {3, 1000, 4, 512};
constexpr Phase kSecond = {2, 700, 2, 256};

// The reads and writes that nubpf-run printed for the child, added up over
// the interval prints read so far.
struct Totals {
  int64_t written = 0;
  int64_t read_count = 0;
  int64_t read_sum = 0;
  std::optional<int64_t> read_min;
  std::optional<int64_t> read_max;
  std::string prints;  // the records, for failure messages
};

// A child that runs kFirst, waits for Release(), reads the 1-byte release
// message from a pipe and runs kSecond.
class TwoPhaseChild {
 public:
  TwoPhaseChild() {
    int go[2];
    if (pipe(go) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      close(go[1]);
      prctl(PR_SET_NAME, kChildComm);
      int null = open("/dev/null", O_WRONLY);
      int zero = open("/dev/zero", O_RDONLY);
      if (null < 0 || zero < 0) _exit(1);
      RunPhase(kFirst, null, zero);
      char byte = 0;
      if (syscall(SYS_read, go[0], &byte, 1) != 1) _exit(2);
      RunPhase(kSecond, null, zero);
      _exit(0);
    }
    close(go[0]);
    go_fd_ = go[1];
  }

  ~TwoPhaseChild() { Finish(); }

  pid_t pid() const { return pid_; }

  bool Release() {
    char byte = 1;
    return write(go_fd_, &byte, 1) == 1;
  }

  // Reaps the child. Returns true when it ran both phases.
  bool Finish() {
    if (go_fd_ >= 0) close(go_fd_);
    go_fd_ = -1;
    if (pid_ <= 0) return false;
    int status = 0;
    pid_t child = pid_;
    pid_ = -1;
    return waitpid(child, &status, 0) == child && WIFEXITED(status) &&
           WEXITSTATUS(status) == 0;
  }

 private:
  static void RunPhase(const Phase& phase, int null, int zero) {
    static char buffer[4096];
    for (int i = 0; i < phase.writes; ++i) syscall(SYS_write, null, buffer, phase.write_size);
    for (int i = 0; i < phase.reads; ++i) syscall(SYS_read, zero, buffer, phase.read_size);
  }

  pid_t pid_ = -1;
  int go_fd_ = -1;
};

// Adds the child's records among the lines that nubpf-run prints, until the
// written bytes reach `written` and the reads `read_count`, or 20 seconds
// passed, or no line came for 10 seconds.
Totals ReadUntil(Subprocess& run, pid_t child, int64_t written, int64_t read_count) {
  Totals totals;
  auto deadline = std::chrono::steady_clock::now() + seconds(20);
  while ((totals.written < written || totals.read_count < read_count) &&
         std::chrono::steady_clock::now() < deadline) {
    std::optional<std::string> line = run.ReadLine(seconds(10));
    if (!line) break;
    nlohmann::json record = nlohmann::json::parse(*line, nullptr, /*allow_exceptions=*/false);
    if (!record.is_object() || record.value("pid", -1) != child) continue;
    EXPECT_EQ(record.value("comm", ""), kChildComm) << *line;
    EXPECT_TRUE(record.contains("time")) << "an interval print without a time: " << *line;
    totals.prints += *line + "\n";

    std::string aggregation = record.value("aggregation", "");
    if (aggregation == "written") totals.written += record.at("sum").get<int64_t>();
    if (aggregation != "reads") continue;
    totals.read_count += record.at("count").get<int64_t>();
    totals.read_sum += record.at("sum").get<int64_t>();
    int64_t min = record.at("min").get<int64_t>();
    int64_t max = record.at("max").get<int64_t>();
    totals.read_min = std::min(totals.read_min.value_or(min), min);
    totals.read_max = std::max(totals.read_max.value_or(max), max);
  }
  return totals;
}

TEST(Topio, IntervalPrintsResetBetweenPhases) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string object = dir.File("topio.bpf.o");
  ASSERT_EQ(Compile(SourcePath("samples/topio.nu"), object), "");
  Subprocess run(
      {NubpfRunPath(), object, "--interval", "1s", "--reset", "--format", "json"});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(30))) << run.stderr_text();

  TwoPhaseChild child;
  ASSERT_GT(child.pid(), 0);
  Totals first = ReadUntil(run, child.pid(), kFirst.writes * kFirst.write_size, kFirst.reads);
  EXPECT_EQ(first.written, kFirst.writes * kFirst.write_size) << first.prints;
  EXPECT_EQ(first.read_count, kFirst.reads) << first.prints;
  EXPECT_EQ(first.read_sum, kFirst.reads * kFirst.read_size) << first.prints;
  EXPECT_EQ(first.read_min, kFirst.read_size) << first.prints;
  EXPECT_EQ(first.read_max, kFirst.read_size) << first.prints;

  // nubpf-run deletes the keys it printed right after printing them, so a
  // write in between would be lost. The wait keeps the second phase away
  // from that moment.
  std::this_thread::sleep_for(milliseconds(500));
  ASSERT_TRUE(child.Release());

  // The second phase also reads the 1-byte release message.
  Totals second =
      ReadUntil(run, child.pid(), kSecond.writes * kSecond.write_size, kSecond.reads + 1);
  EXPECT_EQ(second.written, kSecond.writes * kSecond.write_size) << second.prints;
  EXPECT_EQ(second.read_count, kSecond.reads + 1) << second.prints;
  EXPECT_EQ(second.read_sum, kSecond.reads * kSecond.read_size + 1) << second.prints;
  EXPECT_EQ(second.read_min, 1) << second.prints;
  EXPECT_EQ(second.read_max, kSecond.read_size) << second.prints;

  EXPECT_TRUE(child.Finish());
  EXPECT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();
}

// The table format: a `written` table whose header names the key and value
// columns, with the child's row.
TEST(Topio, PrintsIntervalTable) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string object = dir.File("topio.bpf.o");
  ASSERT_EQ(Compile(SourcePath("samples/topio.nu"), object), "");
  Subprocess run({NubpfRunPath(), object, "--interval", "1s", "--reset"});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(30))) << run.stderr_text();

  TwoPhaseChild child;
  ASSERT_GT(child.pid(), 0);
  std::string pid = std::to_string(child.pid());
  ASSERT_TRUE(child.Release());
  ASSERT_TRUE(child.Finish());

  // The row's sum is in Nushell's units: 4.4 kB for both phases, or less
  // in each of two prints when an interval ended between the phases. The
  // columns are padded, so the row is compared word by word.
  std::string printed;
  bool header_found = false;
  bool row_found = false;
  auto deadline = std::chrono::steady_clock::now() + seconds(20);
  while (!row_found && std::chrono::steady_clock::now() < deadline) {
    std::optional<std::string> line = run.ReadLine(seconds(10));
    if (!line) break;
    printed += *line + "\n";
    std::vector<std::string> words = Words(*line);
    header_found = header_found || words == std::vector<std::string>{"pid", "comm", "sum"};
    row_found = words.size() == 4 && words[0] == pid && words[1] == kChildComm &&
                (words[3] == "kB" || words[3] == "B");
  }
  EXPECT_TRUE(header_found) << printed;
  EXPECT_TRUE(row_found) << "no row `" << pid << "  " << kChildComm << "  SIZE` in:\n"
                         << printed;
  EXPECT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();
}

}  // namespace
}  // namespace nubpf::testing
