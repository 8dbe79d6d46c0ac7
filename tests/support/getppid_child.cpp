#include "tests/support/getppid_child.h"

#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace nubpf::testing {

GetppidChild::GetppidChild(const char* comm) {
  int called[2];
  int release[2];
  if (pipe(called) != 0) return;
  if (pipe(release) != 0) {
    close(called[0]);
    close(called[1]);
    return;
  }

  pid_ = fork();
  if (pid_ == 0) {
    close(called[0]);
    close(release[1]);
    prctl(PR_SET_NAME, comm);
    // Through libc's wrapper, whose symbol names the top user frame.
    getppid();
    char byte = 1;
    if (write(called[1], &byte, 1) != 1) _exit(1);
    while (read(release[0], &byte, 1) > 0) {
    }
    _exit(0);
  }

  close(called[1]);
  close(release[0]);
  called_fd_ = called[0];
  release_fd_ = release[1];
  if (pid_ < 0) Finish();
}

GetppidChild::~GetppidChild() { Finish(); }

bool GetppidChild::WaitForCall() {
  if (called_fd_ < 0) return false;
  pollfd poll_fd{called_fd_, POLLIN, 0};
  if (poll(&poll_fd, 1, 10000) != 1) return false;
  char byte = 0;
  return read(called_fd_, &byte, 1) == 1;
}

bool GetppidChild::Finish() {
  if (release_fd_ >= 0) close(release_fd_);
  if (called_fd_ >= 0) close(called_fd_);
  release_fd_ = called_fd_ = -1;
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t child = pid_;
  pid_ = -1;
  return waitpid(child, &status, 0) == child && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0;
}

}  // namespace nubpf::testing
