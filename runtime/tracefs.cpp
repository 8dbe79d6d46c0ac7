#include "runtime/tracefs.h"

#include <fmt/core.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace nubpf::runtime {

bool TracefsMounted() {
  std::string events = std::string(kTracefsPath) + "/events";
  return access(events.c_str(), F_OK) == 0;
}

std::optional<Error> EnsureTracefsMounted(std::FILE* verbose) {
  if (TracefsMounted()) {
    return std::nullopt;
  }

  // Without root, mount(2) fails with EPERM; attaching then reports the
  // tracepoint as not found, with a hint about tracefs.
  if (geteuid() != 0) {
    if (verbose != nullptr) {
      fmt::print(verbose,
                 "nubpf-run: {}/events is missing and mounting tracefs needs "
                 "root; not mounting it\n",
                 kTracefsPath);
    }
    return std::nullopt;
  }

  if (mount("tracefs", kTracefsPath, "tracefs", /*mountflags=*/0,
            /*data=*/nullptr) != 0) {
    int saved_errno = errno;
    Error error;
    error.message = fmt::format("cannot mount tracefs at `{}`: {}",
                                kTracefsPath, std::strerror(saved_errno));
    error.help = fmt::format("mount it by hand: `mount -t tracefs tracefs {}`",
                             kTracefsPath);
    return error;
  }
  if (verbose != nullptr) {
    fmt::print(verbose, "nubpf-run: mounted tracefs at {}\n", kTracefsPath);
  }
  return std::nullopt;
}

}  // namespace nubpf::runtime
