// A child process that calls getppid(2) and then stays alive until the
// test lets it go, so that nubpf-run can read its memory map while it
// names the frames of the child's user stack.
#pragma once

#include <sys/types.h>

namespace nubpf::testing {

class GetppidChild {
 public:
  // Forks a child that renames itself to `comm` (at most 15 bytes), calls
  // getppid() through libc once and waits. Check started() for the fork.
  explicit GetppidChild(const char* comm);
  // Lets the child exit and reaps it.
  ~GetppidChild();

  GetppidChild(const GetppidChild&) = delete;
  GetppidChild& operator=(const GetppidChild&) = delete;

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  // Waits up to 10 seconds until the child has called getppid(). Returns
  // false when it did not.
  bool WaitForCall();

  // Lets the child exit and reaps it. Returns true when it exited with 0.
  bool Finish();

 private:
  pid_t pid_ = -1;
  // The child writes one byte to `called_fd_` after its call, and exits
  // when it reads the end of `release_fd_`.
  int called_fd_ = -1;
  int release_fd_ = -1;
};

}  // namespace nubpf::testing
