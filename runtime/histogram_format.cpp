#include "runtime/histogram_format.h"

#include <fmt/core.h>

#include <algorithm>

#include "runtime/aggregation_value.h"
#include "runtime/output_format.h"

namespace nubpf::runtime {
namespace {

// bpftrace draws its bars 52 characters wide.
constexpr uint64_t kBarWidth = 52;

struct Unit {
  const char* suffix;
  uint64_t size;
};

// `magnitude / unit` with at most three decimals, cut toward zero and
// without trailing zeros: 1024 ns in µs is `1.024`.
std::string ScaledText(uint64_t magnitude, uint64_t unit) {
  uint64_t whole = magnitude / unit;
  uint64_t thousandths =
      static_cast<uint64_t>((static_cast<unsigned __int128>(magnitude % unit) * 1000) / unit);
  if (thousandths == 0) return fmt::format("{}", whole);
  std::string decimals = fmt::format("{:03}", thousandths);
  decimals.erase(decimals.find_last_not_of('0') + 1);
  return fmt::format("{}.{}", whole, decimals);
}

// Picks the largest unit that `magnitude` reaches, units ordered from the
// smallest.
template <size_t N>
const Unit& LargestUnit(uint64_t magnitude, const Unit (&units)[N]) {
  size_t chosen = 0;
  for (size_t i = 0; i < N; ++i) {
    if (magnitude >= units[i].size) chosen = i;
  }
  return units[chosen];
}

}  // namespace

BucketRange BucketRangeOf(const AggregationInfo& info, uint32_t index) {
  if (info.kind == AggregationKind::kLinear) {
    const LinearRange& range = *info.linear;
    uint32_t count = range.BucketCount();
    if (index == 0) return {std::nullopt, range.min};
    int64_t from = range.min + static_cast<int64_t>(index - 1) * range.step;
    if (index == count + 1) return {from, std::nullopt};
    return {from, from + range.step};
  }

  // Bucket 0 counts v < 0, bucket 1 v == 0, bucket 2 + k 2^k <= v < 2^(k+1).
  if (index == 0) return {std::nullopt, 0};
  if (index == 1) return {0, 1};
  uint32_t k = index - 2;
  int64_t from = int64_t{1} << k;
  if (k == 62) return {from, std::nullopt};
  return {from, int64_t{1} << (k + 1)};
}

std::string FormatBucketBound(int64_t value, FieldType type) {
  static constexpr Unit kDurationUnits[] = {
      {"ns", 1}, {"µs", 1'000}, {"ms", 1'000'000}, {"s", 1'000'000'000}};
  static constexpr Unit kFileSizeUnits[] = {
      {"B", 1},          {"KiB", 1ull << 10}, {"MiB", 1ull << 20}, {"GiB", 1ull << 30},
      {"TiB", 1ull << 40}, {"PiB", 1ull << 50}, {"EiB", 1ull << 60}};
  static constexpr Unit kIntUnits[] = {
      {"", 1},          {"K", 1ull << 10}, {"M", 1ull << 20}, {"G", 1ull << 30},
      {"T", 1ull << 40}, {"P", 1ull << 50}, {"E", 1ull << 60}};

  std::string sign = value < 0 ? "-" : "";
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value)
                                 : static_cast<uint64_t>(value);
  if (type == FieldType::kDuration) {
    const Unit& unit = LargestUnit(magnitude, kDurationUnits);
    return sign + ScaledText(magnitude, unit.size) + unit.suffix;
  }
  if (type == FieldType::kFileSize) {
    const Unit& unit = LargestUnit(magnitude, kFileSizeUnits);
    return sign + ScaledText(magnitude, unit.size) + unit.suffix;
  }

  // Plain integers keep every digit unless a suffix is exact.
  const Unit& unit = LargestUnit(magnitude, kIntUnits);
  if (magnitude % unit.size != 0) return fmt::format("{}", value);
  return sign + fmt::format("{}", magnitude / unit.size) + unit.suffix;
}

std::string FormatBucketLabel(const BucketRange& range, FieldType type) {
  if (!range.from) return fmt::format("(..., {})", FormatBucketBound(*range.to, type));
  std::string from = FormatBucketBound(*range.from, type);
  if (!range.to) return fmt::format("[{}, ...)", from);
  if (*range.to - *range.from == 1) return fmt::format("[{}]", from);
  return fmt::format("[{}, {})", from, FormatBucketBound(*range.to, type));
}

std::vector<std::string> FormatHistogramBars(const AggregationInfo& info,
                                             const std::vector<uint64_t>& buckets) {
  auto non_empty = [](uint64_t count) { return count != 0; };
  auto first = std::find_if(buckets.begin(), buckets.end(), non_empty);
  if (first == buckets.end()) return {};
  auto last = std::find_if(buckets.rbegin(), buckets.rend(), non_empty).base();
  uint32_t begin = static_cast<uint32_t>(first - buckets.begin());
  uint32_t end = static_cast<uint32_t>(last - buckets.begin());

  // Sizes the label and count columns to their widest cell.
  std::vector<std::string> labels;
  size_t label_width = 0;
  size_t count_width = 0;
  uint64_t largest = 0;
  for (uint32_t i = begin; i < end; ++i) {
    labels.push_back(FormatBucketLabel(BucketRangeOf(info, i), info.value_type));
    label_width = std::max(label_width, DisplayWidth(labels.back()));
    count_width = std::max(count_width, fmt::format("{}", buckets[i]).size());
    largest = std::max(largest, buckets[i]);
  }

  std::vector<std::string> lines;
  for (uint32_t i = begin; i < end; ++i) {
    uint64_t bar = static_cast<uint64_t>(
        static_cast<unsigned __int128>(buckets[i]) * kBarWidth / largest);
    lines.push_back(fmt::format(
        "{} {:>{}} |{}{}|", PadCell(labels[i - begin], label_width, false),
        buckets[i], count_width, std::string(bar, '@'),
        std::string(kBarWidth - bar, ' ')));
  }
  return lines;
}

}  // namespace nubpf::runtime
