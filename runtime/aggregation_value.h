// The value of one aggregation entry with its per-CPU copies merged, and
// the merge itself. An aggregation map has one array of u64 words per
// possible CPU and key, and AggregationKind lists the words of each kind.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/metadata.h"

namespace nubpf::runtime {

// The merged value, whose members in use depend on the kind. count uses
// `count`, sum `sum`, avg `count` and `sum`, min and max `count` and `min`
// or `max`, stats all four, and the histograms `buckets`. `min` and `max`
// mean nothing while `count` is 0.
struct AggregationValue {
  uint64_t count = 0;
  int64_t sum = 0;
  int64_t min = 0;
  int64_t max = 0;
  std::vector<uint64_t> buckets;
};

// One entry of an aggregation map: the raw key bytes (KEY-SIZE long,
// empty for a keyless aggregation) and the merged value.
struct AggregationRow {
  std::string key;
  AggregationValue value;
};

// The buckets of a power-of-two histogram: v < 0, v == 0, then
// 2^k <= v < 2^(k+1) for k = 0..62.
inline constexpr uint32_t kLog2BucketCount = 65;

// Returns the number of u64 words in one CPU's value of `info`'s map.
uint32_t AggregationWordCount(const AggregationInfo& info);

// Merges the per-CPU copies of one value, as bpf_map_lookup_elem()
// returns them for a per-CPU map: one `slot_size`-byte slot per possible
// CPU, each the map's value size rounded up to 8. Counts, sums and buckets
// add up, wrapping at 2^64 as the kernel's additions do. min and max take
// the least and greatest value over the CPUs whose count is not 0.
AggregationValue MergePerCpuValues(const AggregationInfo& info,
                                   std::string_view values, size_t slot_size);

// The sum of the counts of every bucket of a histogram.
uint64_t TotalBucketCount(const AggregationValue& value);

// True when `a` sorts before `b`: the larger value first, by the value the
// kind shows (the count for stats, the total count for histograms). An
// avg, min or max without a value sorts last.
bool ShowsLargerValue(AggregationKind kind, const AggregationValue& a,
                      const AggregationValue& b);

}  // namespace nubpf::runtime
