#include "runtime/exit_report.h"

#include <bpf/libbpf.h>
#include <fmt/core.h>

#include <cerrno>
#include <cstring>

#include "runtime/counter_printer.h"
#include "runtime/map_reader.h"

namespace nubpf::runtime {
namespace {

// Returns 0 when every line was written, else the errno of the failure.
int WriteLines(std::FILE* out, const std::vector<std::string>& lines) {
  errno = 0;
  for (const std::string& line : lines) {
    if (std::fwrite(line.data(), 1, line.size(), out) != line.size() ||
        std::fputc('\n', out) == EOF) {
      return errno != 0 ? errno : EIO;
    }
  }
  if (std::fflush(out) != 0) {
    return errno != 0 ? errno : EIO;
  }
  return 0;
}

}  // namespace

std::optional<Error> PrintCounters(const AttachedObject& object,
                                   OutputFormat format, bool after_events,
                                   std::FILE* out, StackNamer* stacks) {
  bool blank_line_first = after_events;
  for (const CounterInfo& counter : object.metadata().counters) {
    // LoadAndAttach() has checked that every counter map exists.
    bpf_map* map = object.FindMap(counter.map.c_str());
    ErrorOr<std::vector<CounterRow>> rows = ReadCounterMap(map, counter);
    if (!rows) {
      return rows.TakeError();
    }

    std::vector<std::string> lines = FormatCounter(counter, *rows, format, stacks);
    switch (format) {
      case OutputFormat::kTable:
        if (blank_line_first) {
          lines.insert(lines.begin(), "");
        }
        blank_line_first = true;
        break;
      case OutputFormat::kJson:
        break;
    }

    int error_number = WriteLines(out, lines);
    if (error_number == EPIPE) {
      return std::nullopt;
    }
    if (error_number != 0) {
      Error error;
      error.message = fmt::format(
          "cannot write counter `{}` to standard "
          "output: {}",
          counter.map, std::strerror(error_number));
      return error;
    }
  }
  return std::nullopt;
}

std::optional<Error> ReportLostEvents(const AttachedObject& object,
                                      std::FILE* diagnostics) {
  bpf_map* map = object.FindMap(kLostMapName);
  if (map == nullptr) {
    return std::nullopt;
  }
  ErrorOr<uint64_t> lost = ReadLostEvents(map);
  if (!lost) {
    return lost.TakeError();
  }
  if (*lost > 0) {
    fmt::print(diagnostics,
               "nubpf-run: {} events lost: the ring buffer was full\n", *lost);
  }
  return std::nullopt;
}

}  // namespace nubpf::runtime
