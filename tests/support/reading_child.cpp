#include "tests/support/reading_child.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace nubpf::testing {
namespace {

constexpr int kBufferSize = 8192;

// A descriptor number the child never opens.
constexpr int kClosedDescriptor = 1000;

}  // namespace

bool RunReadingChild(const char* comm, const std::vector<ReadBatch>& batches) {
  for (const ReadBatch& batch : batches) {
    if (batch.size > kBufferSize) return false;
  }

  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    prctl(PR_SET_NAME, comm);
    int zero = open("/dev/zero", O_RDONLY);
    static char buffer[kBufferSize];
    for (const ReadBatch& batch : batches) {
      for (int i = 0; i < batch.count; ++i) {
        int fd = batch.size < 0 ? kClosedDescriptor : zero;
        syscall(SYS_read, fd, buffer, batch.size < 0 ? 1 : batch.size);
      }
    }
    _exit(zero < 0 ? 1 : 0);
  }

  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace nubpf::testing
