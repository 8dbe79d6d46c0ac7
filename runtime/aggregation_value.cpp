#include "runtime/aggregation_value.h"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace nubpf::runtime {
namespace {

uint64_t WordAt(std::string_view slot, uint32_t index) {
  uint64_t word = 0;
  std::memcpy(&word, slot.data() + index * sizeof(uint64_t), sizeof(word));
  return word;
}

// Adds one CPU's [count, extreme] pair into `merged`: the extreme counts
// only when this CPU saw a value.
void MergeExtreme(AggregationValue& merged, uint64_t count, int64_t value,
                  bool is_min) {
  if (count == 0) return;
  bool first = merged.count == 0;
  merged.count += count;
  if (is_min) {
    merged.min = first ? value : std::min(merged.min, value);
  } else {
    merged.max = first ? value : std::max(merged.max, value);
  }
}

// Adds one CPU's value into `merged`.
void MergeSlot(const AggregationInfo& info, std::string_view slot,
               AggregationValue& merged) {
  // Signed words add as unsigned, so that overflow wraps as it does in
  // the kernel instead of being undefined.
  auto add = [](int64_t a, uint64_t b) {
    return static_cast<int64_t>(static_cast<uint64_t>(a) + b);
  };
  switch (info.kind) {
    case AggregationKind::kCount:
      merged.count += WordAt(slot, 0);
      return;
    case AggregationKind::kSum:
      merged.sum = add(merged.sum, WordAt(slot, 0));
      return;
    case AggregationKind::kAvg:
      merged.count += WordAt(slot, 0);
      merged.sum = add(merged.sum, WordAt(slot, 1));
      return;
    case AggregationKind::kMin:
      MergeExtreme(merged, WordAt(slot, 0), static_cast<int64_t>(WordAt(slot, 1)),
                   /*is_min=*/true);
      return;
    case AggregationKind::kMax:
      MergeExtreme(merged, WordAt(slot, 0), static_cast<int64_t>(WordAt(slot, 1)),
                   /*is_min=*/false);
      return;
    case AggregationKind::kStats: {
      uint64_t count = WordAt(slot, 0);
      if (count == 0) return;
      bool first = merged.count == 0;
      int64_t min = static_cast<int64_t>(WordAt(slot, 2));
      int64_t max = static_cast<int64_t>(WordAt(slot, 3));
      merged.count += count;
      merged.sum = add(merged.sum, WordAt(slot, 1));
      merged.min = first ? min : std::min(merged.min, min);
      merged.max = first ? max : std::max(merged.max, max);
      return;
    }
    case AggregationKind::kHistogram:
    case AggregationKind::kLinear:
      for (uint32_t i = 0; i < merged.buckets.size(); ++i) {
        merged.buckets[i] += WordAt(slot, i);
      }
      return;
  }
}

// The avg as a fraction that compares exactly: sum / count.
long double Average(const AggregationValue& value) {
  return static_cast<long double>(value.sum) / static_cast<long double>(value.count);
}

}  // namespace

uint32_t AggregationWordCount(const AggregationInfo& info) {
  switch (info.kind) {
    case AggregationKind::kCount:
    case AggregationKind::kSum:
      return 1;
    case AggregationKind::kAvg:
    case AggregationKind::kMin:
    case AggregationKind::kMax:
      return 2;
    case AggregationKind::kStats:
      return 4;
    case AggregationKind::kHistogram:
      return kLog2BucketCount;
    case AggregationKind::kLinear:
      assert(info.linear && "ParseMetadata() requires a `linear` line");
      return info.linear->BucketCount() + 2;
  }
  return 1;
}

AggregationValue MergePerCpuValues(const AggregationInfo& info,
                                   std::string_view values, size_t slot_size) {
  AggregationValue merged;
  if (info.kind == AggregationKind::kHistogram ||
      info.kind == AggregationKind::kLinear) {
    merged.buckets.assign(AggregationWordCount(info), 0);
  }
  size_t value_size = AggregationWordCount(info) * sizeof(uint64_t);
  for (size_t offset = 0; offset + value_size <= values.size();
       offset += slot_size) {
    MergeSlot(info, values.substr(offset, value_size), merged);
  }
  return merged;
}

uint64_t TotalBucketCount(const AggregationValue& value) {
  uint64_t total = 0;
  for (uint64_t count : value.buckets) total += count;
  return total;
}

bool ShowsLargerValue(AggregationKind kind, const AggregationValue& a,
                      const AggregationValue& b) {
  switch (kind) {
    case AggregationKind::kCount:
    case AggregationKind::kStats:
      return a.count > b.count;
    case AggregationKind::kSum:
      return a.sum > b.sum;
    case AggregationKind::kAvg:
      if (a.count == 0 || b.count == 0) return a.count != 0 && b.count == 0;
      return Average(a) > Average(b);
    case AggregationKind::kMin:
      if (a.count == 0 || b.count == 0) return a.count != 0 && b.count == 0;
      return a.min > b.min;
    case AggregationKind::kMax:
      if (a.count == 0 || b.count == 0) return a.count != 0 && b.count == 0;
      return a.max > b.max;
    case AggregationKind::kHistogram:
    case AggregationKind::kLinear:
      return TotalBucketCount(a) > TotalBucketCount(b);
  }
  return false;
}

}  // namespace nubpf::runtime
