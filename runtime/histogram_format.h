// The buckets of `histogram` and `histogram --linear` for people and for
// programs: their ranges, range labels in units, and bpftrace-like bar
// charts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/metadata.h"

namespace nubpf::runtime {

// The values one bucket counts: from <= v < to. An open end is nullopt,
// so the first bucket has no `from` and the last no `to`. The last
// power-of-two bucket, [2^62, 2^63), counts every i64 from 2^62 on, so its
// end is open too.
struct BucketRange {
  std::optional<int64_t> from;
  std::optional<int64_t> to;
};

// Returns the range of bucket `index` of a kHistogram or kLinear `info`.
BucketRange BucketRangeOf(const AggregationInfo& info, uint32_t index);

// Returns one bound in the units of `type`, cut toward zero to at most
// three decimals. Durations use ns, µs, ms and s (`1.024µs`), and file
// sizes B, KiB, MiB, GiB and up (`4KiB`). Plain integers use K, M, G and
// up (1024 each) only when the bound is a whole number of them (`8K`,
// `1500`), as bpftrace does.
std::string FormatBucketBound(int64_t value, FieldType type);

// Returns the label of a bucket: `[2µs, 4µs)`, `[0]` for a bucket of one
// value, `(..., 0)` and `[100, ...)` for open ends.
std::string FormatBucketLabel(const BucketRange& range, FieldType type);

// Returns one line per bucket from the first non-empty to the last, each
// `LABEL COUNT |@@@@   |` with the labels and counts aligned and the bar
// scaled to the largest count. Empty when every bucket is empty.
std::vector<std::string> FormatHistogramBars(const AggregationInfo& info,
                                             const std::vector<uint64_t>& buckets);

}  // namespace nubpf::runtime
