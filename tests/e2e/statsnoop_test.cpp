// statsnoop against the kernel. A child with a known comm stats one file
// that exists and paths that do not, with each of the four stat calls that
// take a path. Every call shows up with its path and result. The path
// travels from the entry to the exit in a string store.

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/sample_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr char kComm[] = "nubpf_statter";

struct Call {
  std::string path;
  int result;
};

// Makes five stat calls in a child named kComm, and returns the record
// each should give, or nothing when a call did not give its expected
// result.
std::vector<Call> StatPaths(const std::string& present, const std::string& missing,
                            const std::string& long_missing) {
  pid_t child = fork();
  if (child == 0) {
    prctl(PR_SET_NAME, kComm);
    struct stat st;
    struct statx stx;
    bool ok = syscall(SYS_stat, present.c_str(), &st) == 0;
    ok = ok && syscall(SYS_lstat, missing.c_str(), &st) == -1 && errno == ENOENT;
    ok = ok && syscall(SYS_newfstatat, AT_FDCWD, present.c_str(), &st, 0) == 0;
    ok = ok && syscall(SYS_statx, AT_FDCWD, missing.c_str(), 0, STATX_SIZE, &stx) == -1 &&
         errno == ENOENT;
    ok = ok && syscall(SYS_stat, long_missing.c_str(), &st) == -1 && errno == ENOENT;
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    return {};
  }
  // A string is read with room for 256 bytes, its NUL included.
  return {{present, 0},
          {missing, -ENOENT},
          {present, 0},
          {missing, -ENOENT},
          {long_missing.substr(0, 255), -ENOENT}};
}

TEST(Statsnoop, ReportsPathAndResultOfEachCall) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string present = dir.File("present");
  std::ofstream(present) << "x";
  std::string missing = dir.File("missing");
  // Longer than a string's capacity, in folders that do not exist.
  std::string long_missing = dir.path();
  while (long_missing.size() < 300) long_missing += "/folder";

  std::vector<Call> expected;
  SampleRun run = RunSample("statsnoop", {"--format", "json"}, [&] {
    expected = StatPaths(present, missing, long_missing);
    return !expected.empty();
  });
  ASSERT_EQ(run.error, "");

  std::string error;
  std::vector<nlohmann::json> calls;
  for (nlohmann::json& record : EventRecords(run.output, &error)) {
    if (record.value("comm", "") == kComm) calls.push_back(std::move(record));
  }
  ASSERT_EQ(error, "");
  ASSERT_EQ(calls.size(), expected.size()) << run.output;
  for (size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(calls[i].at("path"), expected[i].path) << i;
    EXPECT_EQ(calls[i].at("result"), expected[i].result) << i;
  }
}

}  // namespace
}  // namespace nubpf::testing
