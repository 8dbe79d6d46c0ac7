#include "runtime/exit_report.h"

#include <fmt/core.h>

#include <cerrno>
#include <cstring>


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

Error WriteError(std::string_view what, int error_number) {
  Error error;
  error.message = fmt::format("cannot write {} to standard output: {}", what,
                              std::strerror(error_number));
  return error;
}

}  // namespace

ErrorOr<bool> PrintMaps(Session& session, const MapPrintOptions& options,
                        bool blank_line_first, bool reset, std::FILE* out) {
  bool table = options.format == OutputFormat::kTable;
  for (const AggregationInfo& info : session.metadata().aggregations) {
    // The rows are formatted before the map is cleared, so a reset reads
    // them first and clears them once they are written.
    ErrorOr<std::vector<AggregationRow>> rows = session.ReadAggregation(info);
    if (!rows) return rows.TakeError();

    std::vector<std::string> lines = FormatAggregation(info, *rows, options);
    if (table && blank_line_first) lines.insert(lines.begin(), "");
    blank_line_first = true;
    int error_number = WriteLines(out, lines);
    if (error_number == EPIPE) return false;
    if (error_number != 0) {
      return WriteError(fmt::format("aggregation `{}`", info.name), error_number);
    }

    if (reset) {
      if (auto error = session.ResetAggregation(info, *rows)) return std::move(*error);
    }
  }

  if (session.metadata().globals.empty()) return true;
  ErrorOr<std::vector<FieldValue>> values = session.ReadGlobals();
  if (!values) return values.TakeError();
  std::vector<std::string> lines = FormatGlobals(session.metadata().globals, *values, options);
  if (table && blank_line_first) lines.insert(lines.begin(), "");
  int error_number = WriteLines(out, lines);
  if (error_number == EPIPE) return false;
  if (error_number != 0) return WriteError("the globals", error_number);
  return true;
}

std::optional<Error> ReportLostEvents(Session& session, std::FILE* diagnostics) {
  ErrorOr<uint64_t> lost = session.LostEvents();
  if (!lost) {
    return lost.TakeError();
  }
  if (*lost > 0) {
    fmt::print(diagnostics,
               "{}: {} events lost: the ring buffer was full\n", ProgramName(), *lost);
  }
  return std::nullopt;
}

std::optional<Error> ReportDrops(Session& session, std::FILE* diagnostics) {
  auto report = [&](const std::string& name, std::optional<uint32_t> slot,
                    uint32_t max_entries) -> std::optional<Error> {
    ErrorOr<uint64_t> dropped = session.DroppedUpdates(slot);
    if (!dropped) return dropped.TakeError();
    if (*dropped == 0) return std::nullopt;
    // The kernel counts failed inserts, so a key that came back after the
    // map filled counts each time: these are updates, not distinct keys.
    fmt::print(diagnostics,
               "{}: {}: {} updates of new keys dropped because the map was full "
               "(--max-entries {})\n", ProgramName(),
               name, *dropped, max_entries);
    return std::nullopt;
  };
  for (const AggregationInfo& info : session.metadata().aggregations) {
    if (auto error = report(info.map, info.drop_slot, info.max_entries)) return error;
  }
  for (const StoreInfo& info : session.metadata().stores) {
    if (auto error = report(info.map, info.drop_slot, info.max_entries)) return error;
  }
  return std::nullopt;
}

}  // namespace nubpf::runtime
