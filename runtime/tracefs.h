// Makes tracefs available at /sys/kernel/tracing, where libbpf looks up the
// id of each tracepoint it attaches to.
#pragma once

#include <cstdio>
#include <optional>

#include "runtime/error.h"

namespace nubpf::runtime {

inline constexpr const char* kTracefsPath = "/sys/kernel/tracing";

// Returns true when /sys/kernel/tracing/events exists.
bool TracefsMounted();

// Mounts tracefs at /sys/kernel/tracing with mount(2) when its `events`
// folder is missing and the process runs as root; does nothing otherwise.
// Writes what it did to `verbose` when that is not null. The error names
// the mount point and errno; the caller may still try to attach, because
// libbpf also looks in /sys/kernel/debug/tracing.
std::optional<Error> EnsureTracefsMounted(std::FILE* verbose);

}  // namespace nubpf::runtime
