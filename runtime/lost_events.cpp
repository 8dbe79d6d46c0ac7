#include "runtime/lost_events.h"

#include <fmt/core.h>

namespace nubpf::runtime {

uint64_t LostEventCounter::Update(uint64_t total) {
  // The probes only add to the count, and the sum wraps as each CPU's
  // u64 does, so the difference is right even across a wrap.
  uint64_t newly_lost = total - total_;
  total_ = total;
  return newly_lost;
}

Record LostEventsRecord(uint64_t lost, const std::optional<CellValue>& time) {
  Record record;
  if (time) record.push_back({"time", *time});
  record.push_back({"lost_events", FieldValue(lost)});
  return record;
}

std::string FormatLostEventsWarning(uint64_t lost, uint64_t total) {
  return fmt::format("{}: {} events lost: the ring buffer was full ({} in all so far)", ProgramName(),
                     lost, total);
}

bool ReportNewlyLostEvents(uint64_t newly_lost, uint64_t total, OutputFormat format,
                           EventPrinter& printer, std::FILE* diagnostics) {
  if (newly_lost == 0) return true;
  if (format == OutputFormat::kTable) {
    fmt::print(diagnostics, "{}\n", FormatLostEventsWarning(newly_lost, total));
    std::fflush(diagnostics);
    return true;
  }
  return printer.PrintLostEvents(newly_lost);
}

}  // namespace nubpf::runtime
