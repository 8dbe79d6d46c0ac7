#include "runtime/duration.h"

#include <gtest/gtest.h>

#include <string>

namespace nubpf::runtime {
namespace {

using std::chrono::milliseconds;

TEST(ParseDurationTest, AcceptsUnits) {
  struct Case {
    const char* text;
    milliseconds expected;
  };
  const Case cases[] = {
      {"5sec", milliseconds(5000)},   {"5s", milliseconds(5000)},
      {"500ms", milliseconds(500)},   {"2min", milliseconds(120000)},
      {"1hr", milliseconds(3600000)}, {"1h", milliseconds(3600000)},
      {"5", milliseconds(5000)},      {"0", milliseconds(0)},
      {"0ms", milliseconds(0)},       {"007s", milliseconds(7000)},
  };
  for (const Case& test_case : cases) {
    ErrorOr<milliseconds> duration = ParseDuration(test_case.text);
    ASSERT_TRUE(duration.ok())
        << test_case.text << ": " << duration.error().message;
    EXPECT_EQ(*duration, test_case.expected) << test_case.text;
  }
}

TEST(ParseDurationTest, RejectsOtherForms) {
  const char* cases[] = {"",    "sec", "5x",    "5 sec", " 5s",
                         "-5s", "+5s", "1.5s",  "5S",    "5secs",
                         "5m",  "5us", "5sec5", "0x10"};
  for (const char* text : cases) {
    ErrorOr<milliseconds> duration = ParseDuration(text);
    ASSERT_FALSE(duration.ok()) << "`" << text << "` was accepted";
    EXPECT_EQ(duration.error().exit_code, ExitCode::kUsage) << text;
    EXPECT_NE(duration.error().message.find("invalid --duration"),
              std::string::npos)
        << duration.error().message;
    EXPECT_NE(duration.error().help.find("500ms"), std::string::npos);
  }
}

TEST(ParseDurationTest, NamesTheUnknownUnit) {
  ErrorOr<milliseconds> duration = ParseDuration("3days");
  ASSERT_FALSE(duration.ok());
  EXPECT_NE(duration.error().message.find("unknown unit `days`"),
            std::string::npos)
      << duration.error().message;
}

TEST(ParseDurationTest, ExplainsFractions) {
  ErrorOr<milliseconds> duration = ParseDuration("0.5s");
  ASSERT_FALSE(duration.ok());
  EXPECT_NE(duration.error().message.find("fractions are not supported"),
            std::string::npos)
      << duration.error().message;
  EXPECT_NE(duration.error().message.find("`500ms`"), std::string::npos)
      << duration.error().message;
}

TEST(ParseDurationTest, RejectsHugeValues) {
  EXPECT_TRUE(ParseDuration("87600hr").ok());
  EXPECT_FALSE(ParseDuration("87601hr").ok());
  EXPECT_FALSE(ParseDuration("99999999999999999999999s").ok());
}

}  // namespace
}  // namespace nubpf::runtime
