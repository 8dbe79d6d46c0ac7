// exitsnoop against the kernel: a child with a known comm runs for a known
// time and exits with code 7, and its event has its pid, the test as its
// parent, that code, no signal and at least that age.

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <thread>

#include "gtest/gtest.h"
#include "tests/support/sample_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr char kChildComm[] = "nubpf_exit7";
constexpr int kExitCode = 7;
constexpr std::chrono::milliseconds kLifetime(50);

// Forks the child, waits for it and stores its pid in `child`. Returns
// true when it exited with kExitCode.
bool ExitWithCode(pid_t* child) {
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    prctl(PR_SET_NAME, kChildComm);
    std::this_thread::sleep_for(kLifetime);
    _exit(kExitCode);
  }
  *child = pid;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == kExitCode;
}

TEST(Exitsnoop, ReportsChildExitCode) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  pid_t child = -1;
  SampleRun run = RunSample("exitsnoop", {"--format", "json"}, [&] { return ExitWithCode(&child); });
  ASSERT_EQ(run.error, "");

  std::string error;
  std::vector<nlohmann::json> exits;
  for (nlohmann::json& record : EventRecords(run.output, &error)) {
    if (record.value("comm", "") == kChildComm) exits.push_back(std::move(record));
  }
  ASSERT_EQ(error, "");
  ASSERT_EQ(exits.size(), 1u) << run.output;
  const nlohmann::json& exit = exits[0];
  EXPECT_EQ(exit.at("pid"), child);
  EXPECT_EQ(exit.at("ppid"), getpid());
  EXPECT_EQ(exit.at("code"), kExitCode);
  EXPECT_EQ(exit.at("signal"), 0);
  int64_t age = exit.at("age").get<int64_t>();
  EXPECT_GE(age, std::chrono::nanoseconds(kLifetime).count()) << exit;
  EXPECT_LT(age, std::chrono::nanoseconds(std::chrono::seconds(10)).count()) << exit;
}

// A child that a signal ends reports the signal and code 0.
TEST(Exitsnoop, ReportsKillingSignal) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  pid_t child = -1;
  auto kill_child = [&] {
    child = fork();
    if (child < 0) return false;
    if (child == 0) {
      prctl(PR_SET_NAME, kChildComm);
      pause();
      _exit(0);
    }
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  };
  SampleRun run = RunSample("exitsnoop", {"--format", "json"}, kill_child);
  ASSERT_EQ(run.error, "");

  std::string error;
  std::optional<nlohmann::json> exit;
  for (nlohmann::json& record : EventRecords(run.output, &error)) {
    if (record.value("pid", 0) == child) exit = std::move(record);
  }
  ASSERT_EQ(error, "");
  ASSERT_TRUE(exit) << run.output;
  EXPECT_EQ(exit->at("signal"), SIGKILL);
  EXPECT_EQ(exit->at("code"), 0);
}

}  // namespace
}  // namespace nubpf::testing
