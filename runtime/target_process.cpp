#include "runtime/target_process.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace nubpf::runtime {
namespace {

// Through syscall(2), because glibc has a wrapper only since 2.36.
int OpenPidfd(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }

void CloseIfOpen(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

// Reads exactly `size` bytes, retrying after signals; returns the bytes
// read, fewer at end of file.
ssize_t ReadFully(int fd, void* buffer, size_t size) {
  size_t done = 0;
  while (done < size) {
    ssize_t count = read(fd, static_cast<char*>(buffer) + done, size - done);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) break;
    done += static_cast<size_t>(count);
  }
  return static_cast<ssize_t>(done);
}

pid_t WaitForChild(pid_t pid, int options) {
  int status = 0;
  pid_t result;
  do {
    result = waitpid(pid, &status, options);
  } while (result < 0 && errno == EINTR);
  return result;
}

// The child's side of StartCommand(): waits for the go byte on `release_fd`
// and execs `argv`. An exec failure sends its errno through
// `exec_status_fd`, which a successful exec closes. Without the byte, when
// nubpf-run died or gave up before attaching, the command never runs.
// Calls only functions that are safe after fork().
[[noreturn]] void RunHeldChild(char* const* argv, int release_fd, int exec_status_fd) {
  // nubpf-run catches SIGINT and SIGTERM and ignores SIGPIPE; the command
  // gets the default actions, as from a shell.
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGPIPE, SIG_DFL);

  char go = 0;
  if (ReadFully(release_fd, &go, 1) != 1) _exit(127);
  close(release_fd);

  execvp(argv[0], argv);
  int error_number = errno;
  ssize_t ignored = write(exec_status_fd, &error_number, sizeof(error_number));
  (void)ignored;
  _exit(127);
}

Error SystemError(std::string what, int error_number) {
  Error error;
  error.message = fmt::format("{}: {}", what, std::strerror(error_number));
  error.error_number = error_number;
  return error;
}

Error ExecError(const std::string& command, int error_number) {
  Error error = SystemError(fmt::format("cannot run `{}`", command), error_number);
  error.help = error_number == ENOENT
                   ? "check the command's name; without a `/` in it, nubpf-run looks "
                     "for it in the folders of PATH"
                   : "check that the file is an executable that you may run";
  return error;
}

// Returns 0 when execvp() would find an executable file for `command`,
// else the errno it would fail with: ENOENT when no file exists, EACCES
// when one exists but may not run. Like execvp(), it searches the folders
// of PATH (`/bin:/usr/bin` when unset, and an empty entry is the current
// folder) unless the name has a `/`.
int FindExecutable(const std::string& command) {
  auto check = [](const std::string& path) {
    struct stat info;
    if (stat(path.c_str(), &info) != 0) return ENOENT;
    if (!S_ISREG(info.st_mode) || access(path.c_str(), X_OK) != 0) return EACCES;
    return 0;
  };
  if (command.find('/') != std::string::npos) return check(command);

  const char* path = std::getenv("PATH");
  std::string_view folders = path != nullptr ? path : "/bin:/usr/bin";
  int result = ENOENT;
  while (true) {
    size_t end = std::min(folders.find(':'), folders.size());
    std::string folder(folders.substr(0, end));
    int found = check((folder.empty() ? "." : folder) + "/" + command);
    if (found == 0) return 0;
    if (found == EACCES) result = EACCES;
    if (end == folders.size()) return result;
    folders.remove_prefix(end + 1);
  }
}

}  // namespace

ErrorOr<std::unique_ptr<TargetProcess>> TargetProcess::StartCommand(
    std::vector<std::string> words) {
  // A missing command is reported before anything loads. The exec itself
  // can still fail later, for a file that is no valid executable.
  if (int error_number = FindExecutable(words[0]); error_number != 0) {
    return ExecError(words[0], error_number);
  }

  // The argv is built before fork(), so that the child does not allocate.
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);

  // Both pipes are close-on-exec, so that the command inherits neither.
  int release_pipe[2];
  int exec_status_pipe[2];
  if (pipe2(release_pipe, O_CLOEXEC) != 0) {
    return SystemError("cannot create a pipe for the command of -c", errno);
  }
  if (pipe2(exec_status_pipe, O_CLOEXEC) != 0) {
    int error_number = errno;
    close(release_pipe[0]);
    close(release_pipe[1]);
    return SystemError("cannot create a pipe for the command of -c", error_number);
  }

  pid_t pid = fork();
  if (pid < 0) {
    int error_number = errno;
    for (int fd : {release_pipe[0], release_pipe[1], exec_status_pipe[0], exec_status_pipe[1]}) {
      close(fd);
    }
    return SystemError(fmt::format("cannot start `{}`", words[0]), error_number);
  }
  if (pid == 0) {
    // The child closes the write end, or it would never see the end of
    // the pipe when nubpf-run exits without releasing it.
    close(release_pipe[1]);
    close(exec_status_pipe[0]);
    RunHeldChild(argv.data(), release_pipe[0], exec_status_pipe[1]);
  }
  close(release_pipe[0]);
  close(exec_status_pipe[1]);

  // The child cannot be reaped before this process waits for it, so its
  // pid names it until then.
  int pidfd = OpenPidfd(pid);
  int pidfd_errno = errno;
  std::unique_ptr<TargetProcess> target(new TargetProcess(pid, pidfd));
  target->is_child_ = true;
  target->command_name_ = words[0];
  target->release_fd_ = release_pipe[1];
  target->exec_status_fd_ = exec_status_pipe[0];
  if (target->pidfd_ < 0) {
    // The destructor kills and reaps the held child.
    return SystemError(fmt::format("cannot open a pidfd for `{}`", words[0]), pidfd_errno);
  }
  return target;
}

ErrorOr<std::unique_ptr<TargetProcess>> TargetProcess::FollowProcess(pid_t pid) {
  int pidfd = OpenPidfd(pid);
  if (pidfd >= 0) return std::unique_ptr<TargetProcess>(new TargetProcess(pid, pidfd));

  int error_number = errno;
  Error error;
  error.error_number = error_number;
  switch (error_number) {
    case ESRCH:
      error.exit_code = ExitCode::kUsage;
      error.message = fmt::format("invalid -p `{}`: no process has that pid", pid);
      error.help = "give the pid of a running process, as `ps` or `pgrep` lists it";
      return error;
    case EINVAL:
    case ENOENT:
      // Linux 6.x reports a thread that does not lead its process with
      // ENOENT, older kernels with EINVAL.
      error.exit_code = ExitCode::kUsage;
      error.message = fmt::format("invalid -p `{}`: the pid is a thread, not the main "
                                  "thread of a process",
                                  pid);
      error.help = fmt::format("give the pid of its process, the `Tgid` in /proc/{}/status",
                               pid);
      return error;
    default:
      error.message = fmt::format("cannot open a pidfd for process {}: {}", pid,
                                  std::strerror(error_number));
      error.help = "pidfd_open(2) needs Linux 5.3 or later";
      return error;
  }
}

TargetProcess::~TargetProcess() {
  if (is_child_ && !reaped_) {
    if (release_fd_ >= 0) {
      kill(pid_, SIGKILL);
      WaitForChild(pid_, 0);
      reaped_ = true;
    }
    Finish();
  }
  CloseIfOpen(&release_fd_);
  CloseIfOpen(&exec_status_fd_);
  CloseIfOpen(&pidfd_);
}

std::optional<Error> TargetProcess::Release() {
  if (!is_child_ || release_fd_ < 0) return std::nullopt;

  // A write that fails means the child is gone already; the exec status
  // pipe then reads as closed, and the run ends on its exit.
  char go = 1;
  ssize_t ignored = write(release_fd_, &go, 1);
  (void)ignored;
  CloseIfOpen(&release_fd_);

  int error_number = 0;
  ssize_t count = ReadFully(exec_status_fd_, &error_number, sizeof(error_number));
  CloseIfOpen(&exec_status_fd_);
  if (count != static_cast<ssize_t>(sizeof(error_number))) return std::nullopt;

  WaitForChild(pid_, 0);
  reaped_ = true;
  return ExecError(command_name_, error_number);
}

void TargetProcess::Finish() {
  if (!is_child_ || reaped_) return;
  if (WaitForChild(pid_, WNOHANG) == 0) {
    kill(pid_, SIGTERM);
    bool exited = false;
    for (int i = 0; i < 50 && !exited; ++i) {
      usleep(100 * 1000);
      exited = WaitForChild(pid_, WNOHANG) != 0;
    }
    if (!exited) {
      fmt::print(stderr, "nubpf-run: `{}` is still running 5s after SIGTERM; sending SIGKILL\n",
                 command_name_);
      kill(pid_, SIGKILL);
      WaitForChild(pid_, 0);
    }
  }
  reaped_ = true;
}

ErrorOr<std::unique_ptr<TargetProcess>> StartTarget(const TargetRequest& request) {
  if (!request.command.empty()) return TargetProcess::StartCommand(request.command);
  if (request.pid) return TargetProcess::FollowProcess(*request.pid);
  return std::unique_ptr<TargetProcess>();
}

}  // namespace nubpf::runtime
