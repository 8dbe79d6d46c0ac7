// killsnoop against the kernel: a child with a known comm sends SIGUSR1 to
// a second child that waits for it, then signal 0 to a pid that cannot
// exist, and both calls show up with their target, signal and result.

#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

#include "gtest/gtest.h"
#include "tests/support/sample_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr char kSenderComm[] = "nubpf_killer";
// Above any pid_max that Linux allows (2^22), so kill(2) fails with ESRCH.
constexpr pid_t kMissingPid = INT_MAX;

struct Pids {
  pid_t sender = -1;
  pid_t target = -1;
};

// Forks a child that waits for SIGUSR1, and exits 0 when it arrives.
pid_t StartTarget() {
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  // Blocked before the fork, so a signal that comes before sigwait waits.
  sigset_t old;
  sigprocmask(SIG_BLOCK, &usr1, &old);
  pid_t pid = fork();
  if (pid == 0) {
    int signal = 0;
    _exit(sigwait(&usr1, &signal) == 0 && signal == SIGUSR1 ? 0 : 1);
  }
  sigprocmask(SIG_SETMASK, &old, nullptr);
  return pid;
}

bool SendSignals(Pids* pids) {
  pids->target = StartTarget();
  if (pids->target < 0) return false;

  pids->sender = fork();
  if (pids->sender < 0) return false;
  if (pids->sender == 0) {
    prctl(PR_SET_NAME, kSenderComm);
    if (syscall(SYS_kill, pids->target, SIGUSR1) != 0) _exit(1);
    if (syscall(SYS_kill, kMissingPid, 0) != -1 || errno != ESRCH) _exit(2);
    _exit(0);
  }

  int sender_status = 0;
  int target_status = 0;
  waitpid(pids->sender, &sender_status, 0);
  waitpid(pids->target, &target_status, 0);
  return WIFEXITED(sender_status) && WEXITSTATUS(sender_status) == 0 &&
         WIFEXITED(target_status) && WEXITSTATUS(target_status) == 0;
}

TEST(Killsnoop, ReportsSignalAndMissingTarget) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  Pids pids;
  SampleRun run = RunSample("killsnoop", {"--format", "json"}, [&] { return SendSignals(&pids); });
  ASSERT_EQ(run.error, "");

  std::string error;
  std::vector<nlohmann::json> kills;
  for (nlohmann::json& record : EventRecords(run.output, &error)) {
    if (record.value("comm", "") == kSenderComm) kills.push_back(std::move(record));
  }
  ASSERT_EQ(error, "");
  ASSERT_EQ(kills.size(), 2u) << run.output;

  EXPECT_EQ(kills[0].at("pid"), pids.sender);
  EXPECT_EQ(kills[0].at("target"), pids.target);
  EXPECT_EQ(kills[0].at("signal"), SIGUSR1);
  EXPECT_EQ(kills[0].at("result"), 0);

  EXPECT_EQ(kills[1].at("pid"), pids.sender);
  EXPECT_EQ(kills[1].at("target"), kMissingPid);
  EXPECT_EQ(kills[1].at("signal"), 0);
  EXPECT_EQ(kills[1].at("result"), -ESRCH);
}

}  // namespace
}  // namespace nubpf::testing
