#include "runtime/histogram_format.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/aggregation_printer.h"

namespace nubpf::runtime {
namespace {

using Lines = std::vector<std::string>;

AggregationInfo Log2(FieldType type) {
  AggregationInfo info;
  info.map = info.name = "histogram_latency";
  info.kind = AggregationKind::kHistogram;
  info.value_type = type;
  return info;
}

AggregationInfo Linear(int64_t min, int64_t max, int64_t step) {
  AggregationInfo info = Log2(FieldType::kI64);
  info.name = "histogram_ret";
  info.kind = AggregationKind::kLinear;
  info.linear = LinearRange{min, max, step};
  return info;
}

std::string Label(const AggregationInfo& info, uint32_t index) {
  return FormatBucketLabel(BucketRangeOf(info, index), info.value_type);
}

TEST(HistogramFormatTest, Log2Ranges) {
  AggregationInfo info = Log2(FieldType::kI64);
  EXPECT_EQ(Label(info, 0), "(..., 0)");
  EXPECT_EQ(Label(info, 1), "[0]");
  EXPECT_EQ(Label(info, 2), "[1]");
  EXPECT_EQ(Label(info, 3), "[2, 4)");
  EXPECT_EQ(Label(info, 12), "[1K, 2K)");
  EXPECT_EQ(Label(info, 22), "[1M, 2M)");
  EXPECT_EQ(Label(info, 32), "[1G, 2G)");
  EXPECT_EQ(Label(info, 64), "[4E, ...)");
}

TEST(HistogramFormatTest, DurationUnits) {
  AggregationInfo info = Log2(FieldType::kDuration);
  EXPECT_EQ(Label(info, 1), "[0ns]");
  EXPECT_EQ(Label(info, 11), "[512ns, 1.024µs)");
  EXPECT_EQ(Label(info, 22), "[1.048ms, 2.097ms)");
  EXPECT_EQ(FormatBucketBound(1000, FieldType::kDuration), "1µs");
  EXPECT_EQ(FormatBucketBound(1500000, FieldType::kDuration), "1.5ms");
  EXPECT_EQ(FormatBucketBound(2000000000, FieldType::kDuration), "2s");
  EXPECT_EQ(FormatBucketBound(-3000, FieldType::kDuration), "-3µs");
}

TEST(HistogramFormatTest, FileSizeUnits) {
  AggregationInfo info = Log2(FieldType::kFileSize);
  EXPECT_EQ(Label(info, 3), "[2B, 4B)");
  EXPECT_EQ(Label(info, 12), "[1KiB, 2KiB)");
  EXPECT_EQ(Label(info, 31), "[512MiB, 1GiB)");
  EXPECT_EQ(FormatBucketBound(1536, FieldType::kFileSize), "1.5KiB");
}

TEST(HistogramFormatTest, PlainIntsKeepDigitsUnlessExact) {
  EXPECT_EQ(FormatBucketBound(1500, FieldType::kI64), "1500");
  EXPECT_EQ(FormatBucketBound(8192, FieldType::kI64), "8K");
  EXPECT_EQ(FormatBucketBound(-2048, FieldType::kI64), "-2K");
}

TEST(HistogramFormatTest, LinearRanges) {
  AggregationInfo info = Linear(0, 100, 30);
  EXPECT_EQ(Label(info, 0), "(..., 0)");
  EXPECT_EQ(Label(info, 1), "[0, 30)");
  EXPECT_EQ(Label(info, 4), "[90, 120)");
  EXPECT_EQ(Label(info, 5), "[120, ...)");
}

TEST(HistogramFormatTest, BarsFromFirstToLastNonEmptyBucket) {
  AggregationInfo info = Linear(0, 100, 30);
  std::vector<uint64_t> buckets = {0, 4, 0, 2, 0, 0};
  std::string full(52, '@');
  std::string half(26, '@');
  EXPECT_EQ(FormatHistogramBars(info, buckets),
            (Lines{"[0, 30)  4 |" + full + "|",
                   "[30, 60) 0 |" + std::string(52, ' ') + "|",
                   "[60, 90) 2 |" + half + std::string(26, ' ') + "|"}));
  EXPECT_EQ(FormatHistogramBars(info, std::vector<uint64_t>(6, 0)), Lines{});
}

TEST(HistogramFormatTest, KeyedHistogramTable) {
  AggregationInfo info = Log2(FieldType::kDuration);
  info.key_size = 16;
  info.key = {FieldInfo{"comm", FieldType::kString, 0, 16}};
  std::vector<uint64_t> small(65, 0);
  small[11] = 1;
  std::vector<uint64_t> large(65, 0);
  large[12] = 3;
  std::string bash = std::string("bash") + std::string(12, '\0');
  std::string cat = std::string("cat") + std::string(13, '\0');
  std::vector<AggregationRow> rows = {{cat, {0, 0, 0, 0, small}}, {bash, {0, 0, 0, 0, large}}};

  MapPrintOptions options;
  EXPECT_EQ(FormatAggregation(info, rows, options),
            (Lines{"histogram_latency", "comm: bash",
                   "[1.024µs, 2.048µs) 3 |" + std::string(52, '@') + "|", "", "comm: cat",
                   "[512ns, 1.024µs) 1 |" + std::string(52, '@') + "|"}));

  options.format = OutputFormat::kJson;
  EXPECT_EQ(FormatAggregation(info, rows, options),
            (Lines{R"({"aggregation": "histogram_latency", "comm": "bash", "from": 1024, "to": 2048, "count": 3})",
                   R"({"aggregation": "histogram_latency", "comm": "cat", "from": 512, "to": 1024, "count": 1})"}));
  options.format = OutputFormat::kNuon;
  EXPECT_EQ(FormatAggregation(info, rows, options)[0],
            R"({"aggregation": "histogram_latency", "comm": "bash", "from": 1024ns, "to": 2048ns, "count": 3})");
  options.format = OutputFormat::kCsv;
  EXPECT_EQ(FormatAggregation(info, rows, options),
            (Lines{"aggregation,comm,from,to,count", "histogram_latency,bash,1024,2048,3",
                   "histogram_latency,cat,512,1024,1"}));
}

TEST(HistogramFormatTest, OpenEndsAreNull) {
  AggregationInfo info = Linear(0, 10, 5);
  std::vector<uint64_t> buckets = {2, 0, 0, 1};
  MapPrintOptions options{OutputFormat::kJson, std::nullopt, nullptr};
  EXPECT_EQ(FormatAggregation(info, {{"", {0, 0, 0, 0, buckets}}}, options),
            (Lines{R"({"aggregation": "histogram_ret", "from": null, "to": 0, "count": 2})",
                   R"({"aggregation": "histogram_ret", "from": 10, "to": null, "count": 1})"}));
}

TEST(HistogramFormatTest, EmptyKeylessHistogram) {
  AggregationInfo info = Log2(FieldType::kI64);
  MapPrintOptions options;
  EXPECT_EQ(FormatAggregation(info, {{"", {0, 0, 0, 0, std::vector<uint64_t>(65, 0)}}}, options),
            (Lines{"histogram_latency", "(no values)"}));
}

}  // namespace
}  // namespace nubpf::runtime
