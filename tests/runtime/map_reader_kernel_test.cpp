// Reads real per-CPU maps, made with bpf_map_create() and filled from user
// space, through the aggregation reader. Needs the rights to create BPF
// maps (root here).
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "runtime/map_reader.h"

namespace nubpf::runtime {
namespace {

// A map that closes its file descriptor at the end of the test.
class OwnedMap {
 public:
  OwnedMap(bpf_map_type type, uint32_t key_size, uint32_t value_size, uint32_t max_entries) {
    fd_ = bpf_map_create(type, "nubpf_test", key_size, value_size, max_entries, nullptr);
    handle_ = MapHandle{fd_, "nubpf_test", key_size, value_size};
  }
  ~OwnedMap() {
    if (fd_ >= 0) close(fd_);
  }
  bool ok() const { return fd_ >= 0; }
  const MapHandle& handle() const { return handle_; }

 private:
  int fd_ = -1;
  MapHandle handle_;
};

int CpuCount() { return libbpf_num_possible_cpus(); }

// Writes one value per CPU: CPU c gets `words_for(c)`.
template <typename WordsFor>
void Update(const OwnedMap& map, const std::string& key, size_t words, WordsFor words_for) {
  std::vector<int64_t> values;
  for (int cpu = 0; cpu < CpuCount(); ++cpu) {
    std::vector<int64_t> cpu_words = words_for(cpu);
    cpu_words.resize(words, 0);
    values.insert(values.end(), cpu_words.begin(), cpu_words.end());
  }
  ASSERT_EQ(bpf_map_update_elem(map.handle().fd, key.data(), values.data(), BPF_ANY), 0)
      << std::strerror(errno);
}

std::string U32Key(uint32_t value) {
  return std::string(reinterpret_cast<const char*>(&value), sizeof(value));
}

AggregationInfo Keyed(AggregationKind kind) {
  AggregationInfo info;
  info.map = info.name = "by_pid";
  info.kind = kind;
  info.key_size = 8;
  info.key = {FieldInfo{"pid", FieldType::kU32, 0, 4}};
  return info;
}

std::string PidKey(uint32_t pid) { return U32Key(pid) + std::string(4, '\0'); }

class MapReaderKernelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (getuid() != 0) GTEST_SKIP() << "creating BPF maps needs root";
  }
};

TEST_F(MapReaderKernelTest, KeyedStatsMergeEveryCpu) {
  OwnedMap map(BPF_MAP_TYPE_PERCPU_HASH, 8, 32, 16);
  ASSERT_TRUE(map.ok()) << std::strerror(errno);
  // Every CPU saw count 1 and value 10 + cpu, except CPU 0, which saw none
  // for pid 7.
  Update(map, PidKey(7), 4, [](int cpu) -> std::vector<int64_t> {
    if (cpu == 0) return {0, 0, 0, 0};
    return {1, 10 + cpu, 10 + cpu, 10 + cpu};
  });
  Update(map, PidKey(9), 4, [](int cpu) -> std::vector<int64_t> {
    if (cpu != 0) return {};
    return {2, -6, -5, -1};
  });

  ErrorOr<std::vector<AggregationRow>> rows =
      ReadAggregationMap(map.handle(), Keyed(AggregationKind::kStats));
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  int cpus = CpuCount();
  for (const AggregationRow& row : *rows) {
    if (row.key == PidKey(9)) {
      EXPECT_EQ(row.value.count, 2u);
      EXPECT_EQ(row.value.sum, -6);
      EXPECT_EQ(row.value.min, -5);
      EXPECT_EQ(row.value.max, -1);
      continue;
    }
    ASSERT_EQ(row.key, PidKey(7));
    EXPECT_EQ(row.value.count, static_cast<uint64_t>(cpus - 1));
    if (cpus > 1) {
      EXPECT_EQ(row.value.min, 11);
      EXPECT_EQ(row.value.max, 10 + cpus - 1);
    }
  }

  // --reset deletes the keys that were read.
  ASSERT_FALSE(ResetAggregationMap(map.handle(), Keyed(AggregationKind::kStats), *rows));
  rows = ReadAggregationMap(map.handle(), Keyed(AggregationKind::kStats));
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_TRUE(rows->empty());
}

TEST_F(MapReaderKernelTest, KeylessHistogramInPerCpuArray) {
  OwnedMap map(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 65 * 8, 1);
  ASSERT_TRUE(map.ok()) << std::strerror(errno);
  AggregationInfo info;
  info.map = info.name = "histogram";
  info.kind = AggregationKind::kHistogram;

  // Zero-filled until written: one row of empty buckets.
  ErrorOr<std::vector<AggregationRow>> rows = ReadAggregationMap(map.handle(), info);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(TotalBucketCount(rows->front().value), 0u);

  Update(map, U32Key(0), 65, [](int cpu) -> std::vector<int64_t> {
    std::vector<int64_t> buckets(65, 0);
    buckets[0] = 1;
    buckets[3] = cpu;
    return buckets;
  });
  rows = ReadAggregationMap(map.handle(), info);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  int cpus = CpuCount();
  EXPECT_EQ(rows->front().value.buckets[0], static_cast<uint64_t>(cpus));
  EXPECT_EQ(rows->front().value.buckets[3], static_cast<uint64_t>(cpus * (cpus - 1) / 2));
  EXPECT_TRUE(rows->front().key.empty());

  // --reset zeroes every CPU's entry.
  ASSERT_FALSE(ResetAggregationMap(map.handle(), info, *rows));
  rows = ReadAggregationMap(map.handle(), info);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(TotalBucketCount(rows->front().value), 0u);
}

TEST_F(MapReaderKernelTest, ReadsManyKeys) {
  OwnedMap map(BPF_MAP_TYPE_LRU_PERCPU_HASH, 8, 8, 1024);
  ASSERT_TRUE(map.ok()) << std::strerror(errno);
  for (uint32_t pid = 1; pid <= 300; ++pid) {
    Update(map, PidKey(pid), 1, [&](int) -> std::vector<int64_t> { return {pid}; });
  }
  ErrorOr<std::vector<AggregationRow>> rows =
      ReadAggregationMap(map.handle(), Keyed(AggregationKind::kSum));
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 300u);
  int64_t total = 0;
  for (const AggregationRow& row : *rows) total += row.value.sum;
  EXPECT_EQ(total, int64_t{CpuCount()} * 300 * 301 / 2);
}

TEST_F(MapReaderKernelTest, DropSlotsAndArrayValues) {
  OwnedMap drops(BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 3);
  ASSERT_TRUE(drops.ok()) << std::strerror(errno);
  Update(drops, U32Key(2), 1, [](int) -> std::vector<int64_t> { return {5}; });
  ErrorOr<uint64_t> dropped = ReadPerCpuCount(drops.handle(), 2);
  ASSERT_TRUE(dropped.ok()) << dropped.error().message;
  EXPECT_EQ(*dropped, 5u * static_cast<uint64_t>(CpuCount()));
  dropped = ReadPerCpuCount(drops.handle(), 0);
  ASSERT_TRUE(dropped.ok());
  EXPECT_EQ(*dropped, 0u);

  // A `.data`-like array: one 16-byte value.
  OwnedMap data(BPF_MAP_TYPE_ARRAY, 4, 16, 1);
  ASSERT_TRUE(data.ok()) << std::strerror(errno);
  int64_t words[2] = {42, -1};
  std::string key = U32Key(0);
  ASSERT_EQ(bpf_map_update_elem(data.handle().fd, key.data(), words, BPF_ANY), 0);
  ErrorOr<std::string> value = ReadArrayValue(data.handle());
  ASSERT_TRUE(value.ok()) << value.error().message;
  ASSERT_EQ(value->size(), 16u);
  EXPECT_EQ(std::memcmp(value->data(), words, 16), 0);

  // The same array as `.bss` counters: a u64 at each offset, and 0 past
  // the value's end.
  ErrorOr<uint64_t> counter = ReadCounter(data.handle(), 0);
  ASSERT_TRUE(counter.ok()) << counter.error().message;
  EXPECT_EQ(*counter, 42u);
  counter = ReadCounter(data.handle(), 8);
  ASSERT_TRUE(counter.ok());
  EXPECT_EQ(*counter, UINT64_MAX);
  counter = ReadCounter(data.handle(), 16);
  ASSERT_TRUE(counter.ok());
  EXPECT_EQ(*counter, 0u);
}

TEST_F(MapReaderKernelTest, ErrorNamesTheMap) {
  MapHandle closed{-1, "gone", 4, 8};
  ErrorOr<uint64_t> count = ReadPerCpuCount(closed, 0);
  ASSERT_FALSE(count.ok());
  EXPECT_NE(count.error().message.find("cannot read map `gone`: bpf_map_lookup_elem failed"),
            std::string::npos)
      << count.error().message;
}

}  // namespace
}  // namespace nubpf::runtime
