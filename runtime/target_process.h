// The process a run is scoped to: the command that `nubpf-run -c` starts,
// or the running process that `-p` names. Uprobes attach to it alone, its
// pid is the probes' `$target_pid`, and its exit ends the run.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/error.h"
#include "runtime/target_options.h"

namespace nubpf::runtime {

class TargetProcess {
 public:
  // Forks a child for the command `words` (an argv, as SplitCommandWords
  // returns it) that waits, before it execs, until Release(). So its pid is
  // known while the object loads, and none of its events happen before the
  // probes are attached. The child inherits stdin, stdout and stderr, and
  // the default actions of SIGINT, SIGTERM and SIGPIPE.
  static ErrorOr<std::unique_ptr<TargetProcess>> StartCommand(std::vector<std::string> words);

  // Opens a pidfd of the running process `pid`. Fails with exit code kUsage
  // when no process has that pid or it is a thread other than the main
  // thread of its process.
  static ErrorOr<std::unique_ptr<TargetProcess>> FollowProcess(pid_t pid);

  // A command that was never released is killed with SIGKILL; one still
  // running gets SIGTERM. Either is then reaped.
  ~TargetProcess();
  TargetProcess(const TargetProcess&) = delete;
  TargetProcess& operator=(const TargetProcess&) = delete;

  pid_t pid() const { return pid_; }

  // A pidfd of the process, which poll(2) reports readable once it exits.
  int exit_fd() const { return pidfd_; }

  // Lets the command exec, and waits until the exec succeeded or failed.
  // Fails, after reaping the child, when the exec failed, with the errno of
  // execvp: `cannot run `ls`: No such file or directory`. Does nothing for
  // a process of FollowProcess().
  std::optional<Error> Release();

  // Ends the run's hold on a command: sends it SIGTERM when it still runs,
  // then waits for it to exit and reaps it. Does nothing for a process of
  // FollowProcess(), which is not ours to stop.
  //
  // A command that is still running 5 seconds after SIGTERM gets SIGKILL,
  // with a line on stderr, so that one that ignores SIGTERM cannot keep
  // nubpf-run from printing the maps.
  void Finish();

 private:
  TargetProcess(pid_t pid, int pidfd) : pid_(pid), pidfd_(pidfd) {}

  pid_t pid_;
  int pidfd_;
  // Set for a command of StartCommand(), which this process must reap.
  bool is_child_ = false;
  std::string command_name_;
  // The write end of the pipe the held child reads its go byte from, and
  // the read end of the close-on-exec pipe that carries the errno of a
  // failed exec back; -1 once Release() used them.
  int release_fd_ = -1;
  int exec_status_fd_ = -1;
  bool reaped_ = false;
};

// Starts the command of `request`, held before its exec, or opens its
// process; returns null when it names neither.
ErrorOr<std::unique_ptr<TargetProcess>> StartTarget(const TargetRequest& request);

}  // namespace nubpf::runtime
