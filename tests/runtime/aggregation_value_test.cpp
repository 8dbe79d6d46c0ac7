// Merging the per-CPU copies of aggregation values, on synthetic buffers
// laid out as bpf_map_lookup_elem() returns them.
#include "runtime/aggregation_value.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "runtime/map_reader.h"

namespace nubpf::runtime {
namespace {

// One CPU's value: its words, then zero padding up to `slot_size`.
std::string Slot(const std::vector<int64_t>& words, size_t slot_size = 0) {
  std::string bytes(words.size() * 8, '\0');
  std::memcpy(bytes.data(), words.data(), bytes.size());
  if (slot_size > bytes.size()) bytes.resize(slot_size, '\0');
  return bytes;
}

AggregationInfo Info(AggregationKind kind) {
  AggregationInfo info;
  info.kind = kind;
  if (kind == AggregationKind::kLinear) info.linear = LinearRange{0, 100, 10};
  return info;
}

AggregationValue Merge(AggregationKind kind, const std::string& values) {
  AggregationInfo info = Info(kind);
  return MergePerCpuValues(info, values, AggregationWordCount(info) * 8);
}

TEST(AggregationValueTest, WordCounts) {
  EXPECT_EQ(AggregationWordCount(Info(AggregationKind::kCount)), 1u);
  EXPECT_EQ(AggregationWordCount(Info(AggregationKind::kSum)), 1u);
  EXPECT_EQ(AggregationWordCount(Info(AggregationKind::kAvg)), 2u);
  EXPECT_EQ(AggregationWordCount(Info(AggregationKind::kMin)), 2u);
  EXPECT_EQ(AggregationWordCount(Info(AggregationKind::kMax)), 2u);
  EXPECT_EQ(AggregationWordCount(Info(AggregationKind::kStats)), 4u);
  EXPECT_EQ(AggregationWordCount(Info(AggregationKind::kHistogram)), 65u);
  EXPECT_EQ(AggregationWordCount(Info(AggregationKind::kLinear)), 12u);
}

TEST(AggregationValueTest, CountsAddAndWrap) {
  EXPECT_EQ(Merge(AggregationKind::kCount, Slot({1}) + Slot({2}) + Slot({40})).count, 43u);
  EXPECT_EQ(Merge(AggregationKind::kCount, Slot({-1}) + Slot({2})).count, 1u);
}

TEST(AggregationValueTest, SumsAddSignedAndWrap) {
  EXPECT_EQ(Merge(AggregationKind::kSum, Slot({-5}) + Slot({3})).sum, -2);
  EXPECT_EQ(Merge(AggregationKind::kSum, Slot({INT64_MAX}) + Slot({1})).sum, INT64_MIN);
}

TEST(AggregationValueTest, AvgAddsCountAndSum) {
  AggregationValue value = Merge(AggregationKind::kAvg, Slot({2, 10}) + Slot({0, 0}) + Slot({1, -1}));
  EXPECT_EQ(value.count, 3u);
  EXPECT_EQ(value.sum, 9);
}

TEST(AggregationValueTest, MinSkipsCpusWithoutValues) {
  // The second CPU's 0 is not a value: its count is 0.
  AggregationValue value = Merge(AggregationKind::kMin, Slot({1, 7}) + Slot({0, 0}) + Slot({2, 5}));
  EXPECT_EQ(value.count, 3u);
  EXPECT_EQ(value.min, 5);
  EXPECT_EQ(Merge(AggregationKind::kMin, Slot({0, 0}) + Slot({0, 0})).count, 0u);
}

TEST(AggregationValueTest, MaxSkipsCpusWithoutValues) {
  AggregationValue value = Merge(AggregationKind::kMax, Slot({0, 99}) + Slot({1, -7}) + Slot({1, -9}));
  EXPECT_EQ(value.count, 2u);
  EXPECT_EQ(value.max, -7);
}

TEST(AggregationValueTest, StatsMergesAllFour) {
  AggregationValue value = Merge(AggregationKind::kStats, Slot({2, 10, 3, 7}) +
                                                              Slot({0, 0, 0, 0}) +
                                                              Slot({1, -4, -4, -4}));
  EXPECT_EQ(value.count, 3u);
  EXPECT_EQ(value.sum, 6);
  EXPECT_EQ(value.min, -4);
  EXPECT_EQ(value.max, 7);
}

TEST(AggregationValueTest, HistogramBucketsAdd) {
  std::vector<int64_t> first(65, 0);
  std::vector<int64_t> second(65, 0);
  first[0] = 1;
  first[64] = 2;
  second[64] = 3;
  second[5] = 4;
  AggregationValue value = Merge(AggregationKind::kHistogram, Slot(first) + Slot(second));
  ASSERT_EQ(value.buckets.size(), 65u);
  EXPECT_EQ(value.buckets[0], 1u);
  EXPECT_EQ(value.buckets[5], 4u);
  EXPECT_EQ(value.buckets[64], 5u);
  EXPECT_EQ(TotalBucketCount(value), 10u);
}

TEST(AggregationValueTest, LinearBucketsAdd) {
  std::vector<int64_t> words(12, 1);
  AggregationValue value = Merge(AggregationKind::kLinear, Slot(words) + Slot(words));
  EXPECT_EQ(value.buckets, std::vector<uint64_t>(12, 2));
}

TEST(AggregationValueTest, SkipsSlotPadding) {
  // A 3-word value in 32-byte slots, as if the kernel rounded further.
  AggregationInfo info = Info(AggregationKind::kAvg);
  AggregationValue value =
      MergePerCpuValues(info, Slot({1, 5}, 32) + Slot({2, 6}, 32), /*slot_size=*/32);
  EXPECT_EQ(value.count, 3u);
  EXPECT_EQ(value.sum, 11);
}

TEST(AggregationValueTest, SortsLargerValuesFirst) {
  AggregationValue small{1, 10, 0, 0, {}};
  AggregationValue large{4, 100, 0, 0, {}};
  AggregationValue none{0, 0, 0, 0, {}};
  EXPECT_TRUE(ShowsLargerValue(AggregationKind::kCount, large, small));
  EXPECT_FALSE(ShowsLargerValue(AggregationKind::kCount, small, large));
  EXPECT_TRUE(ShowsLargerValue(AggregationKind::kAvg, large, small));  // 25 > 10
  EXPECT_TRUE(ShowsLargerValue(AggregationKind::kAvg, small, none));
  EXPECT_FALSE(ShowsLargerValue(AggregationKind::kAvg, none, small));
}

TEST(SumPerCpuValuesTest, AddsEverySlot) {
  EXPECT_EQ(SumPerCpuValues(Slot({1}) + Slot({2}) + Slot({40}), 8), 43u);
}

TEST(SumPerCpuValuesTest, SkipsPaddingOfWiderSlots) {
  EXPECT_EQ(SumPerCpuValues(Slot({5, 999}) + Slot({6, 999}), 16), 11u);
}

}  // namespace
}  // namespace nubpf::runtime
