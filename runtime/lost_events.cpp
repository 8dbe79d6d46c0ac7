#include "runtime/lost_events.h"

#include <fmt/core.h>


namespace nubpf::runtime {

ErrorOr<uint64_t> LostEventCounter::ReadNewlyLost() {
  if (!map_) return uint64_t{0};
  ErrorOr<uint64_t> lost = ReadPerCpuCount(*map_, /*slot=*/0);
  if (!lost) return lost.TakeError();

  // The probes only add to the count, and the sum wraps as each CPU's
  // u64 does, so the difference is right even across a wrap.
  uint64_t newly_lost = *lost - total_;
  total_ = *lost;
  return newly_lost;
}

Record LostEventsRecord(uint64_t lost, const std::optional<CellValue>& time) {
  Record record;
  if (time) record.push_back({"time", *time});
  record.push_back({"lost_events", FieldValue(lost)});
  return record;
}

ErrorOr<bool> ReportNewlyLostEvents(LostEventCounter& counter, OutputFormat format,
                                    EventPrinter& printer, std::FILE* diagnostics) {
  ErrorOr<uint64_t> lost = counter.ReadNewlyLost();
  if (!lost) return lost.TakeError();
  if (*lost == 0) return true;

  if (format == OutputFormat::kTable) {
    fmt::print(diagnostics, "{}\n", FormatLostEventsWarning(*lost, counter.total()));
    std::fflush(diagnostics);
    return true;
  }
  return printer.PrintLostEvents(*lost);
}

std::string FormatLostEventsWarning(uint64_t lost, uint64_t total) {
  return fmt::format("nubpf-run: {} events lost: the ring buffer was full ({} in all so far)",
                     lost, total);
}

}  // namespace nubpf::runtime
