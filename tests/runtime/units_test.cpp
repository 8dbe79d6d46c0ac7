// Durations and file sizes as Nushell 0.115.1 writes them with
// `into string`; the expected texts are its output.

#include "runtime/units.h"

#include <limits>

#include "gtest/gtest.h"

namespace nubpf::runtime {
namespace {

TEST(Units, DurationsAsNushell) {
  const std::pair<int64_t, const char*> kCases[] = {
      {1'500'000'000, "1sec 500ms"},
      {5'000'000, "5ms"},
      {0, "0sec"},
      {90'000'000'000, "1min 30sec"},
      {3 * 86'400'000'000'000, "3day"},
      {1, "1ns"},
      {-2'000'000'000, "-2sec"},
      {-1'500'000'000, "-1sec 500ms"},
      {1'000, "1µs"},
      {90'061'001'001'001, "1day 1hr 1min 1sec 1ms 1µs 1ns"},
  };
  for (const auto& [nanoseconds, expected] : kCases) {
    EXPECT_EQ(FormatDuration(Duration{nanoseconds}), expected) << nanoseconds;
  }
}

TEST(Units, FileSizesAsNushell) {
  const std::pair<int64_t, const char*> kCases[] = {
      {4000, "4.0 kB"},   {4096, "4.0 kB"},        {1000, "1.0 kB"},
      {1, "1 B"},         {0, "0 B"},              {999, "999 B"},
      {999'999, "999.9 kB"}, {1'000'000, "1.0 MB"}, {1'500'000, "1.5 MB"},
      {-1500, "-1.5 kB"}, {3'221'225'472, "3.2 GB"}, {5'000'000'000'000'000'000, "5.0 EB"},
  };
  for (const auto& [bytes, expected] : kCases) {
    EXPECT_EQ(FormatFileSize(FileSize{bytes}), expected) << bytes;
  }
}

TEST(Units, ExtremesDoNotOverflow) {
  EXPECT_EQ(FormatDuration(Duration{std::numeric_limits<int64_t>::min()}).substr(0, 1), "-");
  EXPECT_EQ(FormatFileSize(FileSize{std::numeric_limits<int64_t>::max()}), "9.2 EB");
}

}  // namespace
}  // namespace nubpf::runtime
