#include "runtime/event_time.h"

#include <fmt/core.h>

#include <ctime>

namespace nubpf::runtime {
namespace {

constexpr int64_t kNanosecondsPerSecond = 1000 * 1000 * 1000;

int64_t ReadClockNs(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return int64_t{now.tv_sec} * kNanosecondsPerSecond + now.tv_nsec;
}

// A wall-clock time split into whole seconds since the epoch and the
// nanoseconds after them, which stay in 0..999999999 for times before the
// epoch too.
struct WallTime {
  std::time_t seconds = 0;
  int64_t nanoseconds = 0;
  std::tm local{};
};

WallTime ToWallTime(const EventClock& clock, uint64_t time_ns) {
  int64_t wall_ns = static_cast<int64_t>(time_ns) + clock.realtime_offset_ns;
  WallTime wall;
  wall.seconds = static_cast<std::time_t>(wall_ns / kNanosecondsPerSecond);
  wall.nanoseconds = wall_ns % kNanosecondsPerSecond;
  if (wall.nanoseconds < 0) {
    wall.nanoseconds += kNanosecondsPerSecond;
    --wall.seconds;
  }
  localtime_r(&wall.seconds, &wall.local);
  return wall;
}

// Returns `time_ns` less the attach time, which is negative for an event of
// a `begin` block, because those run before the attach.
int64_t RelativeNs(const EventClock& clock, uint64_t time_ns) {
  return static_cast<int64_t>(time_ns) - clock.attach_ns;
}

}  // namespace

std::optional<TimestampMode> ParseTimestampMode(std::string_view name) {
  if (name == "relative") return TimestampMode::kRelative;
  if (name == "wall") return TimestampMode::kWall;
  return std::nullopt;
}

int64_t MonotonicNowNs() { return ReadClockNs(CLOCK_MONOTONIC); }

EventClock StartEventClock(TimestampMode mode) {
  EventClock clock;
  clock.mode = mode;

  // The realtime reading sits between two monotonic ones, and the offset
  // is taken against their midpoint, so a preemption between the reads
  // shifts it by at most half the gap.
  int64_t before = MonotonicNowNs();
  int64_t realtime = ReadClockNs(CLOCK_REALTIME);
  int64_t after = MonotonicNowNs();
  int64_t monotonic = before + (after - before) / 2;
  clock.attach_ns = monotonic;
  clock.realtime_offset_ns = realtime - monotonic;
  return clock;
}

CellValue EventTimeCell(const EventClock& clock, uint64_t time_ns) {
  if (clock.mode == TimestampMode::kRelative) {
    return FieldValue(Duration{RelativeNs(clock, time_ns)});
  }

  WallTime wall = ToWallTime(clock, time_ns);
  char date_time[40];
  char offset[8];
  std::strftime(date_time, sizeof(date_time), "%Y-%m-%dT%H:%M:%S", &wall.local);
  std::strftime(offset, sizeof(offset), "%z", &wall.local);
  // strftime writes the offset as +0100; RFC 3339 wants +01:00.
  std::string zone = offset;
  zone.insert(zone.size() - 2, ":");
  return TimeValue{fmt::format("{}.{:09}{}", date_time, wall.nanoseconds, zone)};
}

std::string EventTimeText(const EventClock& clock, uint64_t time_ns) {
  if (clock.mode == TimestampMode::kRelative) {
    int64_t relative = RelativeNs(clock, time_ns);
    int64_t microseconds = relative / 1000;
    const char* sign = microseconds < 0 ? "-" : "";
    int64_t magnitude = microseconds < 0 ? -microseconds : microseconds;
    return fmt::format("{}{}.{:06}", sign, magnitude / 1000000, magnitude % 1000000);
  }

  WallTime wall = ToWallTime(clock, time_ns);
  char time_of_day[16];
  std::strftime(time_of_day, sizeof(time_of_day), "%H:%M:%S", &wall.local);
  return fmt::format("{}.{:06}", time_of_day, wall.nanoseconds / 1000);
}

size_t EventTimeColumnWidth(TimestampMode mode) {
  switch (mode) {
    case TimestampMode::kNone:
      return 0;
    case TimestampMode::kRelative:
      return 11;  // 1000.000000, a run of about 17 minutes
    case TimestampMode::kWall:
      return 15;  // 15:04:05.123456
  }
  return 0;
}

std::optional<Error> CheckEventTimes(const Metadata& metadata, const std::string& path) {
  if (metadata.HasEventTimes()) return std::nullopt;
  Error error;
  error.exit_code = ExitCode::kUsage;
  error.message = fmt::format(
      "--timestamps needs event times, but `{}` has `.nubpf` metadata version {}, "
      "whose event records carry no time",
      path, metadata.version);
  error.help = fmt::format(
      "rebuild the object with this release's nubpfc, which writes version {}, or "
      "leave out --timestamps",
      kMetadataVersion);
  return error;
}

}  // namespace nubpf::runtime
