// Events lost while the run goes on. The probes count each event that did
// not fit in the ring buffer in the per-CPU `nubpf_lost` map. The event
// loop reads that map once per poll slice, so that a loss shows where it
// happened in the output and not only in the summary at exit.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "runtime/error.h"
#include "runtime/event_printer.h"
#include "runtime/map_reader.h"
#include "runtime/output_format.h"
#include "runtime/record_format.h"

namespace nubpf::runtime {

// The `nubpf_lost` count as last read.
class LostEventCounter {
 public:
  // `map` is the object's `nubpf_lost` map, or nullopt when it has none,
  // and then ReadNewlyLost() returns 0.
  explicit LostEventCounter(std::optional<MapHandle> map) : map_(std::move(map)) {}

  // Reads the map and returns how many events were lost since the last
  // call, 0 when none were. Fails when the map cannot be read.
  ErrorOr<uint64_t> ReadNewlyLost();

  // The events lost up to the last read.
  uint64_t total() const { return total_; }

 private:
  std::optional<MapHandle> map_;
  uint64_t total_ = 0;
};

// Returns the record that the machine formats write for a loss:
// `{"lost_events": N}`, with `time` first when it is given.
Record LostEventsRecord(uint64_t lost, const std::optional<CellValue>& time);

// Reads `counter` and reports the events lost since the last read: in the
// table format as a FormatLostEventsWarning() line on `diagnostics`, in
// the others as a record through `printer`. Returns false when writing
// the record failed, with errno the cause, and an error when the map
// cannot be read.
ErrorOr<bool> ReportNewlyLostEvents(LostEventCounter& counter, OutputFormat format,
                                    EventPrinter& printer, std::FILE* diagnostics);

// Returns the stderr line of the table format for a loss, without a
// newline: `nubpf-run: 12 events lost: the ring buffer was full (40 in
// all so far)`.
std::string FormatLostEventsWarning(uint64_t lost, uint64_t total);

}  // namespace nubpf::runtime
