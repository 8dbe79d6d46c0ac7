// vfsstat against the kernel: a child with a known comm makes a known
// number of each kind of call across more than one interval, and the
// tables printed every interval with --reset add up to those numbers.

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <thread>

#include "gtest/gtest.h"
#include "tests/support/sample_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr char kChildComm[] = "nubpf_vfsstat";
constexpr int kReads = 300;
constexpr int kWrites = 200;
constexpr int kOpens = 40;
constexpr int kCreates = 10;
constexpr int kFsyncs = 5;

// The child's calls, made with raw system calls so that libc adds none.
// Half of the reads come before a pause longer than the interval, so the
// counts fall into at least two tables.
[[noreturn]] void MakeCalls(const std::string& dir) {
  prctl(PR_SET_NAME, kChildComm);
  std::string created = dir + "/created";
  int zero = static_cast<int>(syscall(SYS_openat, AT_FDCWD, "/dev/zero", O_RDONLY));
  int file = static_cast<int>(
      syscall(SYS_openat, AT_FDCWD, created.c_str(), O_CREAT | O_WRONLY, 0600));
  if (zero < 0 || file < 0) _exit(1);
  char byte = 0;
  for (int i = 0; i < kReads; ++i) {
    if (i == kReads / 2) std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    if (syscall(SYS_read, zero, &byte, 1) != 1) _exit(2);
  }
  for (int i = 0; i < kWrites; ++i) {
    if (syscall(SYS_write, file, &byte, 1) != 1) _exit(3);
  }
  // Two opens are above: one of /dev/zero and one that creates a file.
  for (int i = 2; i < kOpens; ++i) {
    int fd = static_cast<int>(syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY));
    if (fd < 0) _exit(4);
    syscall(SYS_close, fd);
  }
  for (int i = 1; i < kCreates; ++i) {
    int fd = static_cast<int>(syscall(SYS_creat, created.c_str(), 0600));
    if (fd < 0) _exit(5);
    syscall(SYS_close, fd);
  }
  for (int i = 0; i < kFsyncs; ++i) {
    if (syscall(SYS_fsync, file) != 0) _exit(6);
  }
  _exit(0);
}

bool RunChild(const std::string& dir) {
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) MakeCalls(dir);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

TEST(Vfsstat, IntervalTablesAddUpToCalls) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  SampleRun run =
      RunSample("vfsstat",
                {"--format", "json", "--interval", "1s", "--reset", "--comm", kChildComm},
                [&] { return RunChild(dir.path()); });
  ASSERT_EQ(run.error, "");

  std::string error;
  std::vector<nlohmann::json> records = AggregationRecords(run.output, "calls", &error);
  ASSERT_EQ(error, "");
  std::map<std::string, int64_t> totals;
  std::map<std::string, int> tables;
  int timed = 0;
  for (const nlohmann::json& record : records) {
    std::string op = record.at("op").get<std::string>();
    totals[op] += record.at("count").get<int64_t>();
    ++tables[op];
    if (record.contains("time")) ++timed;
  }
  EXPECT_EQ(totals["read"], kReads) << run.output;
  EXPECT_EQ(totals["write"], kWrites) << run.output;
  EXPECT_EQ(totals["open"], kOpens) << run.output;
  EXPECT_EQ(totals["create"], kCreates) << run.output;
  EXPECT_EQ(totals["fsync"], kFsyncs) << run.output;
  EXPECT_EQ(totals.size(), 5u) << run.output;
  // The pause splits the reads between two intervals at least.
  EXPECT_GE(tables["read"], 2) << run.output;
  EXPECT_GT(timed, 0) << run.output;
}

}  // namespace
}  // namespace nubpf::testing
