// syscount against the kernel: a child with a known comm calls getppid(2)
// a known number of times, and syscount's row for that comm and getppid's
// system call number is exactly that count.

#include <sys/syscall.h>

#include <optional>
#include <sstream>

#include "gtest/gtest.h"
#include "tests/support/sample_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr int kCalls = 5000;
constexpr char kChildComm[] = "nubpf_syscnt";

bool CallGetppid() { return CallGetppidAs(kChildComm, kCalls); }

TEST(Syscount, CountsGetppidCallsExactly) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  SampleRun run = RunSample("syscount", {"--format", "json"}, CallGetppid);
  ASSERT_EQ(run.error, "");

  std::string error;
  std::vector<nlohmann::json> by_id =
      AggregationRecords(run.output, "count_by_comm_id", &error);
  ASSERT_EQ(error, "");
  int64_t child_total = 0;
  std::optional<int64_t> getppid_count;
  for (const nlohmann::json& record : by_id) {
    if (record.value("comm", "") != kChildComm) continue;
    child_total += record.at("count").get<int64_t>();
    if (record.at("id") == SYS_getppid) getppid_count = record.at("count").get<int64_t>();
  }
  ASSERT_TRUE(getppid_count) << run.output;
  EXPECT_EQ(*getppid_count, kCalls);

  // The count by comm alone is the sum of that comm's rows by number.
  std::vector<nlohmann::json> by_comm = AggregationRecords(run.output, "count_by_comm", &error);
  ASSERT_EQ(error, "");
  std::optional<int64_t> comm_count;
  for (const nlohmann::json& record : by_comm) {
    if (record.value("comm", "") == kChildComm) comm_count = record.at("count").get<int64_t>();
  }
  ASSERT_TRUE(comm_count) << run.output;
  EXPECT_EQ(*comm_count, child_total);
}

TEST(Syscount, PrintsGetppidRowInTable) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  SampleRun run = RunSample("syscount", {}, CallGetppid);
  ASSERT_EQ(run.error, "");

  EXPECT_NE(run.output.find("count_by_comm_id\n"), std::string::npos) << run.output;
  std::vector<std::string> expected = {kChildComm, std::to_string(SYS_getppid),
                                        std::to_string(kCalls)};
  bool found = false;
  std::istringstream lines(run.output);
  for (std::string line; std::getline(lines, line);) found = found || Words(line) == expected;
  EXPECT_TRUE(found) << "no row `" << kChildComm << "  " << SYS_getppid << "  " << kCalls
                     << "` in:\n"
                     << run.output;
}

}  // namespace
}  // namespace nubpf::testing
