// Runs scoped to one process: `nubpf-run -c 'CMD ARGS'` starts a command
// once the probes are attached, `-p PID` follows a running process. Either
// sets the probe file's `--target-pid`, attaches uprobes in that process
// alone, and ends the run when the process exits.

#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/sample_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kUprobeTarget[] = NUBPF_UPROBE_TARGET;

// The opens of one file, by the target process alone when -c or -p gives
// one, and by every process otherwise.
constexpr char kOpens[] =
    "def main [--target-pid: int, --file: string = \"\"] {\n"
    "    probe tracepoint:syscalls:sys_enter_openat {|e|\n"
    "        if ($target_pid == 0 or $e.pid == $target_pid) and $e.filename == $file {\n"
    "            emit {pid: $e.pid, target: $target_pid}\n"
    "            count\n"
    "        }\n"
    "    }\n"
    "}\n";

// The getppid(2) calls of the target process.
constexpr char kGetppidCalls[] =
    "def main [--target-pid: int] {\n"
    "    probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
    "        if $target_pid == 0 or $e.pid == $target_pid {\n"
    "            emit {pid: $e.pid, comm: $e.comm}\n"
    "            count\n"
    "        }\n"
    "    }\n"
    "}\n";

// The calls of nubpf_test_add(argc, 1) in uprobe_target, with no filter in
// the probes: only the attach picks the process.
std::string AddCalls() {
  std::string target(kUprobeTarget);
  return "probe uprobe:" + target + ":nubpf_test_add {|e|\n"
         "    emit {pid: $e.pid, a: $e.arg0}\n"
         "}\n"
         "probe uretprobe:" + target + ":nubpf_test_add {|e|\n"
         "    emit {pid: $e.pid, sum: $e.retval}\n"
         "}\n";
}

// The JSON lines of `output`; other lines, such as what a traced command
// printed, are left out.
std::vector<nlohmann::json> JsonLines(const std::string& output) {
  std::vector<nlohmann::json> records;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] != '{') continue;
    records.push_back(nlohmann::json::parse(line));
  }
  return records;
}

// Waits up to `timeout` for nubpf-run to exit by itself, reading its
// output meanwhile. Returns its exit code, or -1 when it still ran, after
// killing it.
int WaitForOwnExit(Subprocess& run, std::string* output, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  *output = run.ReadRemaining(timeout);

  // stdout closes while the process exits, a moment before it can be
  // waited for. WNOWAIT leaves the reaping to Stop().
  while (true) {
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(run.pid()), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == run.pid()) {
      return run.Stop(0);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      run.Stop(SIGKILL);
      return -1;
    }
    usleep(10 * 1000);
  }
}

// A child named nubpf_sleeper that sleeps in read(2) on a pipe and calls
// getppid(2) once for each byte the test writes, then reports back.
class SleepingChild {
 public:
  SleepingChild() {
    int to_child[2];
    int from_child[2];
    if (pipe(to_child) != 0 || pipe(from_child) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      close(to_child[1]);
      close(from_child[0]);
      prctl(PR_SET_NAME, "nubpf_sleeper");
      char byte = 0;
      while (read(to_child[0], &byte, 1) == 1) {
        syscall(SYS_getppid);
        if (write(from_child[1], &byte, 1) != 1) _exit(1);
      }
      _exit(0);
    }
    close(to_child[0]);
    close(from_child[1]);
    command_fd_ = to_child[1];
    done_fd_ = from_child[0];
  }
  ~SleepingChild() {
    Kill();
    close(command_fd_);
    close(done_fd_);
  }

  pid_t pid() const { return pid_; }

  // Makes the child call getppid(2) `times` times; false when it did not.
  bool CallGetppid(int times) {
    for (int i = 0; i < times; ++i) {
      char byte = 1;
      if (write(command_fd_, &byte, 1) != 1 || read(done_fd_, &byte, 1) != 1) return false;
    }
    return true;
  }

  void Kill() {
    if (pid_ <= 0 || reaped_) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    reaped_ = true;
  }

 private:
  pid_t pid_ = -1;
  int command_fd_ = -1;
  int done_fd_ = -1;
  bool reaped_ = false;
};

class TargetProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(marker_) << "";
    std::ofstream(opens_source_) << kOpens;
    ASSERT_EQ(Compile(opens_source_, opens_object_), "");
  }

  // Compiles `text` into a file of the temporary folder and returns its
  // object.
  std::string CompileText(const std::string& name, const std::string& text) {
    std::string source = dir_.File(name + ".nu");
    std::string object = dir_.File(name + ".bpf.o");
    std::ofstream(source) << text;
    EXPECT_EQ(Compile(source, object), "") << text;
    return object;
  }

  TempDir dir_;
  std::string marker_ = dir_.File("marker");
  std::string opens_source_ = dir_.File("opens.nu");
  std::string opens_object_ = dir_.File("opens.bpf.o");
};

// The command opens the marker twice itself (`exec cat` keeps the shell's
// pid) and once in a child `cat`, another process, which the filter on
// `$target_pid` leaves out.
TEST_F(TargetProcess, CommandEventsAndMaps) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  std::string command = "sh -c 'echo pid=$$ >&2; cat \"" + marker_ + "\" > /dev/null; exec cat " +
                        marker_ + " " + marker_ + "'";
  Subprocess run({NubpfRunPath(), opens_object_, "--format", "json", "--file", marker_, "-c",
                  command});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(30))) << run.stderr_text();
  auto attached = std::chrono::steady_clock::now();

  std::string output;
  int exit_code = WaitForOwnExit(run, &output, seconds(10));
  auto elapsed = std::chrono::steady_clock::now() - attached;
  ASSERT_EQ(exit_code, 0) << run.stderr_text();
  EXPECT_LT(elapsed, seconds(5));

  // The shell printed its pid on the stderr it shares with nubpf-run.
  ASSERT_TRUE(run.WaitForStderr("pid=", seconds(1))) << run.stderr_text();
  std::string after = run.stderr_text().substr(run.stderr_text().find("pid=") + 4);
  int command_pid = std::stoi(after);

  std::vector<nlohmann::json> records = JsonLines(output);
  ASSERT_EQ(records.size(), 3u) << output;
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(records[i]["pid"], command_pid) << output;
    EXPECT_EQ(records[i]["target"], command_pid) << output;
  }
  EXPECT_EQ(records[2]["aggregation"], "count") << output;
  EXPECT_EQ(records[2]["count"], 2) << output;
}

// Without -c or -p, `$target_pid` is 0 and the same probe counts the opens
// of every process: the three of the command run by the test.
TEST_F(TargetProcess, NoTargetCountsEveryProcess) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  SampleRun result = RunProbeFile(opens_source_, {"--format", "json", "--file", marker_}, [&] {
    RunResult command = RunToExit(
        {"/bin/sh", "-c", "cat \"" + marker_ + "\" > /dev/null; exec cat " + marker_ + " " + marker_});
    return command.exit_code == 0;
  });
  ASSERT_EQ(result.error, "");
  std::vector<nlohmann::json> records = JsonLines(result.output);
  ASSERT_EQ(records.size(), 4u) << result.output;
  EXPECT_EQ(records[0]["target"], 0);
  EXPECT_EQ(records[3]["count"], 3) << result.output;
}

TEST_F(TargetProcess, MissingCommand) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  RunResult run = RunToExit({NubpfRunPath(), opens_object_, "-c", "nubpf-no-such-command --now"});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("nubpf-run: error: cannot run `nubpf-no-such-command`: No such file or "
                         "directory\n"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("help: check the command's name"), std::string::npos) << run.err;
  // The command is looked up before the object loads.
  EXPECT_EQ(run.err.find("attached"), std::string::npos) << run.err;
}

TEST_F(TargetProcess, CommandWithoutExecuteBit) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string script = dir.File("script.sh");
  std::ofstream(script) << "#!/bin/sh\n";
  RunResult run = RunToExit({NubpfRunPath(), opens_object_, "-c", script});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("cannot run `" + script + "`: Permission denied\n"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("help: check that the file is an executable"), std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find("attached"), std::string::npos) << run.err;
}

// The command is killed before its exec when the probes fail to attach,
// here because the file of the uprobe is gone, so it never runs.
TEST_F(TargetProcess, AttachFailureSkipsCommand) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  std::string copy = dir_.File("uprobe_target_copy");
  std::filesystem::copy_file(kUprobeTarget, copy);
  std::string object =
      CompileText("gone", "probe uprobe:" + copy + ":nubpf_test_add {|e| count }\n");
  std::filesystem::remove(copy);

  std::string created = dir_.File("created");
  RunResult run = RunToExit({NubpfRunPath(), object, "-c", "touch " + created});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("uprobe_target_copy"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(created));
}

TEST_F(TargetProcess, UnterminatedQuote) {
  RunResult run = RunToExit({NubpfRunPath(), opens_object_, "-c", "echo 'one two"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("invalid -c `echo 'one two`: the single quote at byte 6 is never "
                         "closed"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find("attached"), std::string::npos) << run.err;
}

// The run ends by itself when the test kills the process of -p, and prints
// its count. Another process's getppid(2) calls are not counted.
TEST_F(TargetProcess, PidEndsWithProcess) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  std::string object = CompileText("getppid", kGetppidCalls);
  SleepingChild child;
  ASSERT_GT(child.pid(), 0);

  Subprocess run({NubpfRunPath(), object, "--format", "json", "-p", std::to_string(child.pid())});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(30))) << run.stderr_text();
  ASSERT_TRUE(CallGetppidAs("nubpf_other", 2));
  ASSERT_TRUE(child.CallGetppid(3));
  for (int i = 0; i < 3; ++i) {
    std::optional<std::string> line = run.ReadLine(seconds(10));
    ASSERT_TRUE(line.has_value()) << run.stderr_text();
    nlohmann::json event = nlohmann::json::parse(*line);
    EXPECT_EQ(event["pid"], child.pid()) << *line;
    EXPECT_EQ(event["comm"], "nubpf_sleeper") << *line;
  }

  child.Kill();
  std::string output;
  ASSERT_EQ(WaitForOwnExit(run, &output, seconds(10)), 0) << run.stderr_text();
  EXPECT_EQ(output, "{\"aggregation\": \"count\", \"count\": 3}\n");
}

TEST_F(TargetProcess, PidOfNoProcess) {
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) _exit(0);
  ASSERT_EQ(waitpid(pid, nullptr, 0), pid);

  RunResult run = RunToExit({NubpfRunPath(), opens_object_, "-p", std::to_string(pid)});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("invalid -p `" + std::to_string(pid) + "`: no process has that pid"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find("attached"), std::string::npos) << run.err;
}

TEST_F(TargetProcess, InvalidPid) {
  RunResult run = RunToExit({NubpfRunPath(), opens_object_, "-p", "12ab"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("invalid -p `12ab`: expected a process id"), std::string::npos)
      << run.err;
}

TEST_F(TargetProcess, CommandAndPidTogether) {
  RunResult run = RunToExit(
      {NubpfRunPath(), opens_object_, "-c", "true", "-p", std::to_string(getpid())});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("-c and -p cannot be given together"), std::string::npos) << run.err;
}

TEST_F(TargetProcess, TargetPidFlagWithPid) {
  RunResult run = RunToExit({NubpfRunPath(), opens_object_, "-p", std::to_string(getpid()),
                             "--target-pid", "5"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("--target-pid cannot be given with -p"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("attached"), std::string::npos) << run.err;
}

// Starts two copies of uprobe_target that wait for SIGUSR1, runs
// `object` with -p on the first, and lets the other run first, so that its
// events, if any, would come first. Returns nubpf-run's output after the
// run ended with the first copy's exit, and that copy's pid.
std::string RunWithTwoCopies(const std::string& object, pid_t* traced_pid) {
  Subprocess traced({kUprobeTarget, "--wait"});
  Subprocess other({kUprobeTarget, "--wait"});
  EXPECT_EQ(traced.ReadLine(seconds(10)), "waiting");
  EXPECT_EQ(other.ReadLine(seconds(10)), "waiting");
  *traced_pid = traced.pid();

  Subprocess run({NubpfRunPath(), object, "--format", "json", "-p", std::to_string(traced.pid())});
  EXPECT_TRUE(run.WaitForStderr("attached", seconds(30))) << run.stderr_text();
  EXPECT_EQ(kill(other.pid(), SIGUSR1), 0);
  EXPECT_EQ(other.Stop(0), 0);
  EXPECT_EQ(kill(traced.pid(), SIGUSR1), 0);
  EXPECT_EQ(traced.Stop(0), 0);

  std::string output;
  EXPECT_EQ(WaitForOwnExit(run, &output, seconds(10)), 0) << run.stderr_text();
  return output;
}

// The uprobe and uretprobe attached with -p fire in the copy it names.
TEST_F(TargetProcess, UprobeInPidOnly) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  std::string object = CompileText("add_calls", AddCalls());
  pid_t traced = 0;
  std::string output = RunWithTwoCopies(object, &traced);
  // `--wait` makes argc 2, so the call is nubpf_test_add(2, 1).
  EXPECT_EQ(output, "{\"pid\": " + std::to_string(traced) + ", \"a\": 2}\n" +
                        "{\"pid\": " + std::to_string(traced) + ", \"sum\": 3}\n");
}

// A USDT probe with a semaphore attached with -p raises the semaphore in
// the copy it names alone, so the other copy never even passes it.
TEST_F(TargetProcess, UsdtInPidOnly) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  std::string object = CompileText(
      "semaphore", "probe usdt:" + std::string(kUprobeTarget) + ":nubpf_test:with_semaphore {|e|\n"
                   "    emit {pid: $e.pid, number: $e.arg0}\n"
                   "}\n");
  pid_t traced = 0;
  std::string output = RunWithTwoCopies(object, &traced);
  EXPECT_EQ(output, "{\"pid\": " + std::to_string(traced) + ", \"number\": 2}\n");
}

// The uprobes of -c are attached to the child before it execs, and fire in
// the program it execs. A copy of that program that runs at the same time
// in another process goes unseen.
TEST_F(TargetProcess, UprobeInCommandOnly) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  std::string object = CompileText("add_calls", AddCalls());
  Subprocess other({kUprobeTarget, "--wait"});
  ASSERT_EQ(other.ReadLine(seconds(10)), "waiting");

  Subprocess run({NubpfRunPath(), object, "--format", "json", "-c",
                  std::string(kUprobeTarget) + " --wait"});
  ASSERT_TRUE(run.WaitForStderr("attached 2 probes", seconds(30))) << run.stderr_text();
  // The command shares nubpf-run's stdout.
  ASSERT_EQ(run.ReadLine(seconds(10)), "waiting");
  ASSERT_EQ(kill(other.pid(), SIGUSR1), 0);
  EXPECT_EQ(other.Stop(0), 0);

  // The command is nubpf-run's only child.
  std::ifstream children("/proc/" + std::to_string(run.pid()) + "/task/" +
                         std::to_string(run.pid()) + "/children");
  pid_t command_pid = 0;
  ASSERT_TRUE(children >> command_pid);
  ASSERT_EQ(kill(command_pid, SIGUSR1), 0);

  std::string output;
  ASSERT_EQ(WaitForOwnExit(run, &output, seconds(10)), 0) << run.stderr_text();
  std::vector<nlohmann::json> records = JsonLines(output);
  ASSERT_EQ(records.size(), 2u) << output;
  EXPECT_EQ(records[0]["pid"], command_pid);
  EXPECT_EQ(records[0]["a"], 2);
  EXPECT_EQ(records[1]["pid"], command_pid);
  EXPECT_EQ(records[1]["sum"], 3);
}

// Ctrl-C or SIGTERM ends a run whose command still runs, sends the command
// SIGTERM, reaps it and prints the maps.
TEST_F(TargetProcess, SignalStopsCommand) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  for (int signal : {SIGINT, SIGTERM}) {
    Subprocess run({NubpfRunPath(), opens_object_, "--format", "json", "--file", marker_, "-c",
                    "sh -c 'echo started >&2; exec sleep 60'"});
    ASSERT_TRUE(run.WaitForStderr("started", seconds(30))) << run.stderr_text();
    std::ifstream children("/proc/" + std::to_string(run.pid()) + "/task/" +
                           std::to_string(run.pid()) + "/children");
    pid_t command_pid = 0;
    ASSERT_TRUE(children >> command_pid);

    auto stop = std::chrono::steady_clock::now();
    EXPECT_EQ(run.Stop(signal), 0) << run.stderr_text();
    EXPECT_LT(std::chrono::steady_clock::now() - stop, seconds(5)) << "signal " << signal;
    EXPECT_EQ(run.ReadRemaining(seconds(1)), "{\"aggregation\": \"count\", \"count\": 0}\n");
    // nubpf-run reaped the command, so its pid is gone.
    EXPECT_NE(kill(command_pid, 0), 0) << "signal " << signal;
  }
}

// A command that ignores SIGTERM gets SIGKILL 5 seconds later, so the run
// still ends and prints the maps.
TEST_F(TargetProcess, CommandIgnoringSigtermIsKilled) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  RunResult run = RunToExit({NubpfRunPath(), opens_object_, "--format", "json", "--file",
                             marker_, "--duration", "500ms", "-c", "sh -c 'trap \"\" TERM; while :; do sleep 1; done'"},
                            seconds(30));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("still running 5s after SIGTERM; sending SIGKILL"), std::string::npos)
      << run.err;
  EXPECT_EQ(run.out, "{\"aggregation\": \"count\", \"count\": 0}\n");
}

// The command's exit status is not nubpf-run's: the run still ends with 0.
TEST_F(TargetProcess, CommandStatusNotPassedOn) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  RunResult run = RunToExit({NubpfRunPath(), opens_object_, "-c", "sh -c 'exit 3'"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("attached 1 probe"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace nubpf::testing
