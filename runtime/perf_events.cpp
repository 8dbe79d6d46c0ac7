#include "runtime/perf_events.h"

#include <bpf/libbpf.h>
#include <fmt/core.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <fstream>
#include <sstream>

#include "runtime/attach_errors.h"
#include "runtime/load_errors.h"

namespace nubpf::runtime {
namespace {

// Parses one decimal CPU number that fills `text`.
std::optional<int> ParseCpu(std::string_view text) {
  int cpu = 0;
  auto [end, status] =
      std::from_chars(text.data(), text.data() + text.size(), cpu);
  if (text.empty() || status != std::errc() ||
      end != text.data() + text.size() || cpu < 0) {
    return std::nullopt;
  }
  return cpu;
}

// The C library has no wrapper for perf_event_open(2).
int PerfEventOpen(perf_event_attr* attributes, pid_t pid, int cpu) {
  return static_cast<int>(syscall(__NR_perf_event_open, attributes, pid, cpu,
                                  /*group_fd=*/-1, PERF_FLAG_FD_CLOEXEC));
}

}  // namespace

std::optional<std::vector<int>> ParseCpuList(std::string_view text) {
  if (!text.empty() && text.back() == '\n') {
    text.remove_suffix(1);
  }
  if (text.empty()) {
    return std::nullopt;
  }

  std::vector<int> cpus;
  while (true) {
    size_t comma = text.find(',');
    std::string_view range = text.substr(0, comma);
    size_t dash = range.find('-');
    std::optional<int> first = ParseCpu(range.substr(0, dash));
    std::optional<int> last = dash == std::string_view::npos
                                  ? first
                                  : ParseCpu(range.substr(dash + 1));
    if (!first || !last || *last < *first) {
      return std::nullopt;
    }
    // Ranges must ascend, so that the list contains each CPU once.
    if (!cpus.empty() && *first <= cpus.back()) {
      return std::nullopt;
    }
    for (int cpu = *first; cpu <= *last; ++cpu) {
      cpus.push_back(cpu);
    }

    if (comma == std::string_view::npos) {
      return cpus;
    }
    text.remove_prefix(comma + 1);
  }
}

ErrorOr<std::vector<int>> ReadOnlineCpus() {
  std::ifstream file(kOnlineCpusPath);
  std::stringstream text;
  text << file.rdbuf();
  std::optional<std::vector<int>> cpus = ParseCpuList(text.str());
  if (!file || !cpus) {
    Error error;
    error.message = fmt::format(
        "cannot read the online CPUs from `{}`: expected a list such as "
        "`0-3,5`, found `{}`",
        kOnlineCpusPath, text.str());
    error.help = "profile probes need sysfs mounted at /sys";
    return error;
  }
  return std::move(*cpus);
}

ErrorOr<bpf_link*> AttachCpuClock(const Metadata& metadata,
                                  bpf_program* program,
                                  const AttachInfo& attach, int cpu) {
  perf_event_attr attributes{};
  attributes.size = sizeof(attributes);
  attributes.type = PERF_TYPE_SOFTWARE;
  attributes.config = PERF_COUNT_SW_CPU_CLOCK;
  // With `freq` set the kernel adjusts the period to reach sample_freq
  // events a second; otherwise an event fires every sample_period
  // nanoseconds of the CPU clock.
  if (attach.frequency != 0) {
    attributes.freq = 1;
    attributes.sample_freq = attach.frequency;
  } else {
    attributes.sample_period = attach.period_ns;
  }

  int event_fd = PerfEventOpen(&attributes, /*pid=*/-1, cpu);
  if (event_fd < 0) {
    return PerfEventOpenError(metadata, bpf_program__name(program), attach, cpu,
                              errno);
  }

  bpf_link* link = bpf_program__attach_perf_event(program, event_fd);
  if (link == nullptr) {
    int error_number = errno;
    close(event_fd);
    return PerfEventAttachError(metadata, bpf_program__name(program), cpu,
                                error_number);
  }
  return link;
}

}  // namespace nubpf::runtime
