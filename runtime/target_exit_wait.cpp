#include "runtime/target_exit_wait.h"

#include <fmt/core.h>
#include <poll.h>

#include <cerrno>
#include <cstring>

namespace nubpf::runtime {

ErrorOr<ReadySources> WaitForEventsOrExit(int events_fd, int exit_fd,
                                          std::chrono::milliseconds timeout) {
  // poll(2) skips entries with a negative fd.
  pollfd fds[2] = {{exit_fd, POLLIN, 0}, {events_fd, POLLIN, 0}};
  int result = poll(fds, 2, static_cast<int>(timeout.count()));
  if (result < 0 && errno == EINTR) return ReadySources{};
  if (result < 0) {
    Error error;
    error.message = fmt::format("waiting for events and the exit of the traced process "
                                "failed: {}",
                                std::strerror(errno));
    return error;
  }

  ReadySources ready;
  ready.target_exited = (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
  ready.events = (fds[1].revents & POLLIN) != 0;
  return ready;
}

}  // namespace nubpf::runtime
