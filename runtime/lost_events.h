// Events lost while the run goes on. The probes count each event that did
// not fit in the ring buffer in the per-CPU `nubpf_lost` map. The event
// loop reads that count once per poll slice, so that a loss shows where it
// happened in the output and not only in the summary at exit.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "runtime/event_printer.h"
#include "runtime/output_format.h"
#include "runtime/record_format.h"

namespace nubpf::runtime {

// The `nubpf_lost` count as last read.
class LostEventCounter {
 public:
  // Takes the count in `nubpf_lost` now (Session::LostEvents())
  // and returns how many events were lost since the last call.
  uint64_t Update(uint64_t total);

  // The events lost up to the last Update().
  uint64_t total() const { return total_; }

 private:
  uint64_t total_ = 0;
};

// Returns the record that the machine formats write for a loss:
// `{"lost_events": N}`, with `time` first when it is given.
Record LostEventsRecord(uint64_t lost, const std::optional<CellValue>& time);

// Returns the stderr line of the table format for a loss, without a
// newline: `nubpf-run: 12 events lost: the ring buffer was full (40 in
// all so far)`.
std::string FormatLostEventsWarning(uint64_t lost, uint64_t total);

// Reports `newly_lost` events, `total` in all: in the table format as a
// FormatLostEventsWarning() line on `diagnostics`, in the others as a
// record through `printer`. Writes nothing when `newly_lost` is 0. Returns
// false when writing the record failed, with errno the cause.
bool ReportNewlyLostEvents(uint64_t newly_lost, uint64_t total, OutputFormat format,
                           EventPrinter& printer, std::FILE* diagnostics);

}  // namespace nubpf::runtime
