// The perf events behind `profile` and `interval` probes: a software CPU
// clock event per CPU, which fires at a frequency or after a period of CPU
// clock time, whatever runs on that CPU.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "runtime/error.h"
#include "runtime/metadata.h"

struct bpf_link;
struct bpf_program;

namespace nubpf::runtime {

inline constexpr const char* kOnlineCpusPath = "/sys/devices/system/cpu/online";

// Parses a kernel CPU list such as `0-3,5,7-8` (a trailing newline
// allowed) into CPU numbers in ascending order. Returns nullopt for an
// empty or malformed list, or a range whose end is below its start.
std::optional<std::vector<int>> ParseCpuList(std::string_view text);

// Reads the online CPUs from /sys/devices/system/cpu/online.
ErrorOr<std::vector<int>> ReadOnlineCpus();

// Opens a CPU clock perf event on `cpu` for every process, at the rate of
// `attach` (frequency or period), and attaches `program` to it. The link
// owns the event's file descriptor, so bpf_link__destroy() closes both.
ErrorOr<bpf_link*> AttachCpuClock(const Metadata& metadata,
                                  bpf_program* program,
                                  const AttachInfo& attach, int cpu);

}  // namespace nubpf::runtime
