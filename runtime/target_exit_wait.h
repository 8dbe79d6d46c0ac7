// Waiting on the ring buffer and the exit of the run's target process at
// once, so that a run scoped with -c or -p ends as soon as that process
// exits, not at the end of a poll slice.
#pragma once

#include <chrono>

#include "runtime/error.h"

namespace nubpf::runtime {

struct ReadySources {
  // The ring buffer has records to consume.
  bool events = false;
  // The target process has exited.
  bool target_exited = false;
};

// Waits up to `timeout` until `events_fd` (the ring buffer's epoll fd) has
// records, `exit_fd` (a pidfd) reports the exit of its process, or a signal
// arrives. Returns which of the two are ready, neither after a timeout or a
// signal. An `events_fd` of -1 waits for the exit alone. Fails when poll(2)
// fails for another reason than a signal.
ErrorOr<ReadySources> WaitForEventsOrExit(int events_fd, int exit_fd,
                                          std::chrono::milliseconds timeout);

}  // namespace nubpf::runtime
