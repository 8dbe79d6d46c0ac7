// readsize against the kernel: a child with a known comm makes N reads of
// M bytes, and its histogram has exactly N in M's power-of-two bucket and
// nothing else.

#include <sstream>

#include "gtest/gtest.h"
#include "tests/support/reading_child.h"
#include "tests/support/sample_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr char kChildComm[] = "nubpf_readsize";
constexpr int kReads = 7;
// In the bucket [256 B, 512 B). The reads of 0 bytes and of a closed
// descriptor return no data, which the sample leaves out.
constexpr int kReadSize = 300;

bool ReadKnownSizes() {
  return RunReadingChild(kChildComm, {{kReads, kReadSize}, {2, 0}, {2, -1}});
}

TEST(Readsize, ChildReadsInOneBucket) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  SampleRun run = RunSample("readsize", {"--format", "json"}, ReadKnownSizes);
  ASSERT_EQ(run.error, "");

  std::string error;
  std::vector<nlohmann::json> buckets;
  for (nlohmann::json& record : AggregationRecords(run.output, "read_bytes", &error)) {
    if (record.value("comm", "") == kChildComm) buckets.push_back(std::move(record));
  }
  ASSERT_EQ(error, "");
  ASSERT_EQ(buckets.size(), 1u) << run.output;
  EXPECT_EQ(buckets[0].at("from"), 256);
  EXPECT_EQ(buckets[0].at("to"), 512);
  EXPECT_EQ(buckets[0].at("count"), kReads);
}

TEST(Readsize, PrintsBucketInTable) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  SampleRun run = RunSample("readsize", {}, ReadKnownSizes);
  ASSERT_EQ(run.error, "");

  // The child's key line, then its one bucket with a full bar.
  std::string key = std::string("comm: ") + kChildComm + "\n";
  size_t at = run.output.find(key);
  ASSERT_NE(at, std::string::npos) << run.output;
  std::istringstream rest(run.output.substr(at + key.size()));
  std::string bucket;
  std::getline(rest, bucket);
  EXPECT_EQ(bucket.rfind("[256B, 512B) 7 |@@@@", 0), 0u) << run.output;
  std::string after;
  std::getline(rest, after);
  EXPECT_EQ(after.rfind("[", 0), std::string::npos) << run.output;
}

}  // namespace
}  // namespace nubpf::testing
