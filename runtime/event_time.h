// The time of each event for `nubpf-run --timestamps`. Records reach the
// loader in batches, so the time is the probe's own bpf_ktime_get_ns() of
// the emit, which reads CLOCK_MONOTONIC, shown either from the moment the
// probes were attached or as local wall-clock time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/error.h"
#include "runtime/metadata.h"
#include "runtime/record_format.h"

namespace nubpf::runtime {

enum class TimestampMode {
  kNone,
  // Time since the probes were attached.
  kRelative,
  // Local wall-clock time.
  kWall,
};

// Parses the value of --timestamps: `relative` or `wall`.
std::optional<TimestampMode> ParseTimestampMode(std::string_view name);

// The clock readings that turn a kernel time into the time shown.
struct EventClock {
  TimestampMode mode = TimestampMode::kNone;
  // CLOCK_MONOTONIC, in nanoseconds, when the probes were attached.
  int64_t attach_ns = 0;
  // CLOCK_REALTIME minus CLOCK_MONOTONIC, in nanoseconds. The offset
  // changes when the system clock is set, so a wall time is off by any
  // such change since the start.
  int64_t realtime_offset_ns = 0;
};

// Returns CLOCK_MONOTONIC now in nanoseconds, the clock that
// bpf_ktime_get_ns() reads.
int64_t MonotonicNowNs();

// Reads both clocks now, which should be right after the probes attach.
EventClock StartEventClock(TimestampMode mode);

// Returns the `time` column of a machine format: for kRelative a Duration
// (nanoseconds in JSON and CSV, `1500ns` in NUON), for kWall a TimeValue
// in RFC 3339 with nanoseconds, `2025-01-02T15:04:05.123456789+01:00`,
// which NUON reads as a datetime. Events of `begin` blocks, which run
// before the attach, have negative relative times.
CellValue EventTimeCell(const EventClock& clock, uint64_t time_ns);

// Returns the `time` cell of a table: seconds with microseconds for
// kRelative (`12.345678`), the local time of day with microseconds for
// kWall (`15:04:05.123456`).
std::string EventTimeText(const EventClock& clock, uint64_t time_ns);

// The width of the table's `time` column: the usual width of
// EventTimeText(); a longer time widens its cell.
size_t EventTimeColumnWidth(TimestampMode mode);

// Rejects --timestamps for an object whose metadata version predates the
// time in the record header, with a usage error that names `path` and the
// version and whose help is to rebuild the object.
std::optional<Error> CheckEventTimes(const Metadata& metadata, const std::string& path);

}  // namespace nubpf::runtime
