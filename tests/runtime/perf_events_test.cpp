// The CPU list of /sys/devices/system/cpu/online, which decides where
// `profile` and `interval` probes open their perf events.

#include "runtime/perf_events.h"

#include <gtest/gtest.h>

#include <vector>

namespace nubpf::runtime {
namespace {

TEST(CpuList, ParsesRangesAndSingles) {
  EXPECT_EQ(ParseCpuList("0\n"), (std::vector<int>{0}));
  EXPECT_EQ(ParseCpuList("0-3\n"), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(ParseCpuList("0-1,4,6-7"), (std::vector<int>{0, 1, 4, 6, 7}));
  EXPECT_EQ(ParseCpuList("2-2"), (std::vector<int>{2}));
}

TEST(CpuList, RejectsMalformedLists) {
  for (const char* text : {"", "\n", "a", "0-", "-1", "3-1", "0,,1", "0,",
                           "1,0", "0-2,1", "0 1", "0-1\n\n"}) {
    EXPECT_EQ(ParseCpuList(text), std::nullopt) << "`" << text << "`";
  }
}

TEST(CpuList, ReadsThisMachine) {
  ErrorOr<std::vector<int>> cpus = ReadOnlineCpus();
  ASSERT_TRUE(cpus.ok()) << cpus.error().message;
  EXPECT_FALSE(cpus->empty());
}

}  // namespace
}  // namespace nubpf::runtime
