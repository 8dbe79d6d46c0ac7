#include "runtime/event_time.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <string>

namespace nubpf::runtime {
namespace {

// 2023-11-14T22:13:20Z, in nanoseconds since the epoch.
constexpr int64_t kEpochNs = int64_t{1700000000} * 1000 * 1000 * 1000;

// Sets the local time zone to UTC for one test and restores it after.
class UtcTimeZone {
 public:
  UtcTimeZone() {
    const char* zone = std::getenv("TZ");
    had_zone_ = zone != nullptr;
    if (had_zone_) saved_ = zone;
    setenv("TZ", "UTC", /*overwrite=*/1);
    tzset();
  }
  ~UtcTimeZone() {
    if (had_zone_) {
      setenv("TZ", saved_.c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }

 private:
  bool had_zone_ = false;
  std::string saved_;
};

EventClock RelativeClock(int64_t attach_ns) {
  EventClock clock;
  clock.mode = TimestampMode::kRelative;
  clock.attach_ns = attach_ns;
  return clock;
}

// A wall clock whose monotonic time 1 s is 2023-11-14T22:13:20Z.
EventClock WallClock() {
  EventClock clock;
  clock.mode = TimestampMode::kWall;
  clock.realtime_offset_ns = kEpochNs - 1000 * 1000 * 1000;
  return clock;
}

TEST(EventTimeTest, ParsesModes) {
  EXPECT_EQ(ParseTimestampMode("relative"), TimestampMode::kRelative);
  EXPECT_EQ(ParseTimestampMode("wall"), TimestampMode::kWall);
  EXPECT_EQ(ParseTimestampMode("Wall"), std::nullopt);
  EXPECT_EQ(ParseTimestampMode(""), std::nullopt);
}

TEST(EventTimeTest, RelativeIsDurationSinceAttach) {
  EventClock clock = RelativeClock(1000);
  CellValue cell = EventTimeCell(clock, 2500);
  EXPECT_EQ(FormatRecordLine(OutputFormat::kNuon, {{"time", cell}}), "{\"time\": 1500ns}");
  EXPECT_EQ(FormatRecordLine(OutputFormat::kJson, {{"time", cell}}), "{\"time\": 1500}");
  EXPECT_EQ(FormatCsvRow({{"time", cell}}), "1500");
}

TEST(EventTimeTest, RelativeBeforeAttachIsNegative) {
  // A `begin` block emits before the probes attach.
  EventClock clock = RelativeClock(5000000);
  CellValue cell = EventTimeCell(clock, 3500000);
  EXPECT_EQ(FormatRecordLine(OutputFormat::kNuon, {{"time", cell}}),
            "{\"time\": -1500000ns}");
  EXPECT_EQ(EventTimeText(clock, 3500000), "-0.001500");
}

TEST(EventTimeTest, RelativeTableTextIsSeconds) {
  EventClock clock = RelativeClock(0);
  EXPECT_EQ(EventTimeText(clock, 12345678901), "12.345678");
  EXPECT_EQ(EventTimeText(clock, 999), "0.000000");
  EXPECT_EQ(EventTimeText(clock, 0), "0.000000");
}

TEST(EventTimeTest, WallIsRfc3339WithNanoseconds) {
  UtcTimeZone utc;
  EventClock clock = WallClock();
  CellValue cell = EventTimeCell(clock, 1000000000 + 123456789);
  EXPECT_EQ(FormatRecordLine(OutputFormat::kJson, {{"time", cell}}),
            "{\"time\": \"2023-11-14T22:13:20.123456789+00:00\"}");
  EXPECT_EQ(FormatRecordLine(OutputFormat::kNuon, {{"time", cell}}),
            "{\"time\": 2023-11-14T22:13:20.123456789+00:00}");
  EXPECT_EQ(FormatCsvRow({{"time", cell}}), "2023-11-14T22:13:20.123456789+00:00");
}

TEST(EventTimeTest, WallTableTextIsTimeOfDay) {
  UtcTimeZone utc;
  EventClock clock = WallClock();
  EXPECT_EQ(EventTimeText(clock, 1000000000 + 123456789), "22:13:20.123456");
  EXPECT_EQ(EventTimeText(clock, 1000000000 + 61 * int64_t{1000000000}), "22:14:21.000000");
}

TEST(EventTimeTest, WallBeforeSecondKeepsNanosecondsPositive) {
  UtcTimeZone utc;
  EventClock clock;
  clock.mode = TimestampMode::kWall;
  // Half a second before the epoch.
  clock.realtime_offset_ns = -500000000;
  CellValue cell = EventTimeCell(clock, 0);
  EXPECT_EQ(std::get<TimeValue>(cell).rfc3339, "1969-12-31T23:59:59.500000000+00:00");
}

TEST(EventTimeTest, StartReadsBothClocks) {
  int64_t before = MonotonicNowNs();
  EventClock clock = StartEventClock(TimestampMode::kWall);
  int64_t after = MonotonicNowNs();
  EXPECT_EQ(clock.mode, TimestampMode::kWall);
  EXPECT_GE(clock.attach_ns, before);
  EXPECT_LE(clock.attach_ns, after);

  timespec realtime{};
  clock_gettime(CLOCK_REALTIME, &realtime);
  int64_t realtime_ns = int64_t{realtime.tv_sec} * 1000000000 + realtime.tv_nsec;
  int64_t predicted = MonotonicNowNs() + clock.realtime_offset_ns;
  EXPECT_LT(std::llabs(realtime_ns - predicted), int64_t{1000000000});
}

TEST(EventTimeTest, OldMetadataRejectsTimestamps) {
  Metadata metadata;
  metadata.version = 3;
  std::optional<Error> error = CheckEventTimes(metadata, "old.bpf.o");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->exit_code, ExitCode::kUsage);
  EXPECT_NE(error->message.find("`old.bpf.o` has `.nubpf` metadata version 3"),
            std::string::npos)
      << error->message;
  EXPECT_NE(error->help.find("rebuild the object"), std::string::npos) << error->help;

  metadata.version = kMetadataVersion;
  EXPECT_FALSE(CheckEventTimes(metadata, "new.bpf.o").has_value());
}

}  // namespace
}  // namespace nubpf::runtime
