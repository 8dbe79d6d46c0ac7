#include "runtime/aggregation_printer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace nubpf::runtime {
namespace {

using Lines = std::vector<std::string>;

template <typename T>
std::string Bytes(T value) {
  std::string bytes(sizeof(T), '\0');
  std::memcpy(bytes.data(), &value, sizeof(T));
  return bytes;
}

// A char[16] key, as bpf_get_current_comm() fills it.
std::string CommKey(const char* comm) {
  std::string key(16, '\0');
  std::memcpy(key.data(), comm, std::strlen(comm));
  return key;
}

AggregationInfo Aggregation(const char* name, AggregationKind kind,
                            FieldType value_type = FieldType::kI64) {
  AggregationInfo info;
  info.map = name;
  info.name = name;
  info.kind = kind;
  info.value_type = kind == AggregationKind::kCount ? FieldType::kU64 : value_type;
  return info;
}

AggregationInfo Keyless() { return Aggregation("count", AggregationKind::kCount); }

AggregationInfo ByComm(AggregationKind kind = AggregationKind::kCount,
                       FieldType value_type = FieldType::kI64) {
  AggregationInfo info = Aggregation("count_by_comm", kind, value_type);
  info.key_size = 16;
  info.key = {FieldInfo{"comm", FieldType::kString, 0, 16}};
  return info;
}

AggregationInfo ByRet() {
  AggregationInfo info = Aggregation("count_by_ret", AggregationKind::kCount);
  info.key_size = 8;
  info.key = {FieldInfo{"ret", FieldType::kI64, 0, 8}};
  return info;
}

// A key record {comm: string, pid: u32}: comm at 0, pid at 16, 24 bytes.
AggregationInfo ByCommPid(AggregationKind kind) {
  AggregationInfo info = Aggregation("sum_bytes_by_comm_pid", kind, FieldType::kFileSize);
  info.key_size = 24;
  info.key = {FieldInfo{"comm", FieldType::kString, 0, 16},
              FieldInfo{"pid", FieldType::kU32, 16, 4}};
  return info;
}

std::string CommPidKey(const char* comm, uint32_t pid) {
  return CommKey(comm) + Bytes(pid) + std::string(4, '\0');
}

AggregationRow CountRow(std::string key, uint64_t count) {
  AggregationValue value;
  value.count = count;
  return {std::move(key), value};
}

AggregationRow StatsRow(std::string key, uint64_t count, int64_t sum, int64_t min,
                        int64_t max) {
  return {std::move(key), AggregationValue{count, sum, min, max, {}}};
}

Lines Format(const AggregationInfo& info, std::vector<AggregationRow> rows,
             OutputFormat format = OutputFormat::kTable) {
  MapPrintOptions options;
  options.format = format;
  return FormatAggregation(info, std::move(rows), options);
}

TEST(AggregationPrinterTest, KeylessCountIsOneLine) {
  EXPECT_EQ(Format(Keyless(), {CountRow("", 1234)}), Lines{"count  1234"});
}

TEST(AggregationPrinterTest, KeylessCountJson) {
  EXPECT_EQ(Format(Keyless(), {CountRow("", 18446744073709551615u)}, OutputFormat::kJson),
            Lines{R"({"aggregation": "count", "count": 18446744073709551615})"});
}

TEST(AggregationPrinterTest, KeylessWithoutRowPrintsZero) {
  EXPECT_EQ(Format(Keyless(), {}), Lines{"count  0"});
}

TEST(AggregationPrinterTest, KeyedTableSortsByCountDescending) {
  std::vector<AggregationRow> rows = {CountRow(CommKey("sshd"), 3),
                                      CountRow(CommKey("bash"), 120),
                                      CountRow(CommKey("cat"), 7)};
  EXPECT_EQ(Format(ByComm(), rows),
            (Lines{"count_by_comm", "comm  count", "bash    120", "cat       7",
                   "sshd      3"}));
}

TEST(AggregationPrinterTest, KeyedTableBreaksTiesByKey) {
  std::vector<AggregationRow> rows = {CountRow(CommKey("zsh"), 5),
                                      CountRow(CommKey("awk"), 5),
                                      CountRow(CommKey("make"), 9)};
  EXPECT_EQ(Format(ByComm(), rows),
            (Lines{"count_by_comm", "comm  count", "make      9", "awk       5",
                   "zsh       5"}));
}

TEST(AggregationPrinterTest, KeyedTableAlignsNumericKeysRight) {
  std::vector<AggregationRow> rows = {CountRow(Bytes<int64_t>(-2), 1),
                                      CountRow(Bytes<int64_t>(100000), 4)};
  EXPECT_EQ(Format(ByRet(), rows),
            (Lines{"count_by_ret", "   ret  count", "100000      4", "    -2      1"}));
}

TEST(AggregationPrinterTest, KeyedJsonOneLinePerKey) {
  std::vector<AggregationRow> rows = {CountRow(Bytes<int64_t>(-9), 2),
                                      CountRow(Bytes<int64_t>(0), 5)};
  EXPECT_EQ(Format(ByRet(), rows, OutputFormat::kJson),
            (Lines{R"({"aggregation": "count_by_ret", "ret": 0, "count": 5})",
                   R"({"aggregation": "count_by_ret", "ret": -9, "count": 2})"}));
}

TEST(AggregationPrinterTest, KeyedJsonEscapesStringKeys) {
  std::vector<AggregationRow> rows = {CountRow(CommKey("a\"b\x01"), 1)};
  EXPECT_EQ(Format(ByComm(), rows, OutputFormat::kJson),
            Lines{R"({"aggregation": "count_by_comm", "comm": "a\"b\u0001", "count": 1})"});
  EXPECT_EQ(Format(ByComm(), rows, OutputFormat::kNuon),
            Lines{R"({"aggregation": "count_by_comm", "comm": "a\"b\u{0001}", "count": 1})"});
}

TEST(AggregationPrinterTest, FullLengthStringKey) {
  std::vector<AggregationRow> rows = {CountRow("0123456789abcdef", 1)};
  EXPECT_EQ(Format(ByComm(), rows)[2], "0123456789abcdef      1");
}

TEST(AggregationPrinterTest, EmptyKeyedAggregationSaysSo) {
  EXPECT_EQ(Format(ByComm(), {}), (Lines{"count_by_comm", "(no entries)"}));
  EXPECT_EQ(Format(ByComm(), {}, OutputFormat::kJson), Lines{});
  EXPECT_EQ(Format(ByComm(), {}, OutputFormat::kCsv), Lines{});
}

TEST(AggregationPrinterTest, RecordKeySumOfFileSizes) {
  std::vector<AggregationRow> rows = {
      {CommPidKey("cat", 7), AggregationValue{0, 4096, 0, 0, {}}},
      {CommPidKey("bash", 42), AggregationValue{0, 1500000, 0, 0, {}}}};
  AggregationInfo info = ByCommPid(AggregationKind::kSum);
  EXPECT_EQ(Format(info, rows),
            (Lines{"sum_bytes_by_comm_pid", "comm  pid     sum", "bash   42  1.5 MB",
                   "cat     7  4.0 kB"}));
  EXPECT_EQ(Format(info, rows, OutputFormat::kJson),
            (Lines{R"({"aggregation": "sum_bytes_by_comm_pid", "comm": "bash", "pid": 42, "sum": 1500000})",
                   R"({"aggregation": "sum_bytes_by_comm_pid", "comm": "cat", "pid": 7, "sum": 4096})"}));
  EXPECT_EQ(Format(info, rows, OutputFormat::kNuon),
            (Lines{R"({"aggregation": "sum_bytes_by_comm_pid", "comm": "bash", "pid": 42, "sum": 1500000b})",
                   R"({"aggregation": "sum_bytes_by_comm_pid", "comm": "cat", "pid": 7, "sum": 4096b})"}));
  EXPECT_EQ(Format(info, rows, OutputFormat::kCsv),
            (Lines{"aggregation,comm,pid,sum", "sum_bytes_by_comm_pid,bash,42,1500000",
                   "sum_bytes_by_comm_pid,cat,7,4096"}));
}

TEST(AggregationPrinterTest, KeylessAvgOfInts) {
  AggregationInfo info = Aggregation("avg_ret", AggregationKind::kAvg);
  AggregationRow row = StatsRow("", 4, 10, 0, 0);
  EXPECT_EQ(Format(info, {row}), Lines{"avg_ret  2.50"});
  EXPECT_EQ(Format(info, {row}, OutputFormat::kJson),
            Lines{R"({"aggregation": "avg_ret", "avg": 2.5})"});
  EXPECT_EQ(Format(info, {StatsRow("", 2, 6, 0, 0)}, OutputFormat::kNuon),
            Lines{R"({"aggregation": "avg_ret", "avg": 3.0})"});
}

TEST(AggregationPrinterTest, AvgOfDurationsKeepsTheUnit) {
  AggregationInfo info = Aggregation("avg_latency", AggregationKind::kAvg, FieldType::kDuration);
  AggregationRow row = StatsRow("", 2, 3001, 0, 0);
  EXPECT_EQ(Format(info, {row}), Lines{"avg_latency  1µs 500ns"});
  EXPECT_EQ(Format(info, {row}, OutputFormat::kJson),
            Lines{R"({"aggregation": "avg_latency", "avg": 1500.5})"});
  EXPECT_EQ(Format(info, {row}, OutputFormat::kNuon),
            Lines{R"({"aggregation": "avg_latency", "avg": 1500ns})"});
}

TEST(AggregationPrinterTest, MinWithoutValuesIsNull) {
  AggregationInfo info = Aggregation("min_ret", AggregationKind::kMin);
  EXPECT_EQ(Format(info, {StatsRow("", 0, 0, 0, 0)}), Lines{"min_ret  (no values)"});
  EXPECT_EQ(Format(info, {StatsRow("", 0, 0, 0, 0)}, OutputFormat::kJson),
            Lines{R"({"aggregation": "min_ret", "min": null})"});
  EXPECT_EQ(Format(info, {StatsRow("", 3, 0, -7, 0)}), Lines{"min_ret  -7"});
}

TEST(AggregationPrinterTest, KeyedMaxSortsByMax) {
  AggregationInfo info = ByComm(AggregationKind::kMax, FieldType::kDuration);
  info.name = "max_latency_by_comm";
  std::vector<AggregationRow> rows = {StatsRow(CommKey("cat"), 9, 0, 0, 2000),
                                      StatsRow(CommKey("bash"), 1, 0, 0, 90000000)};
  EXPECT_EQ(Format(info, rows),
            (Lines{"max_latency_by_comm", "comm   max", "bash  90ms", "cat    2µs"}));
}

TEST(AggregationPrinterTest, KeylessStatsIsOneRow) {
  AggregationInfo info = Aggregation("stats_ret", AggregationKind::kStats);
  AggregationRow row = StatsRow("", 3, 30, -5, 20);
  EXPECT_EQ(Format(info, {row}),
            (Lines{"stats_ret", "count  sum    avg  min  max", "    3   30  10.00   -5   20"}));
  EXPECT_EQ(Format(info, {row}, OutputFormat::kJson),
            Lines{R"({"aggregation": "stats_ret", "count": 3, "sum": 30, "avg": 10.0, "min": -5, "max": 20})"});
  EXPECT_EQ(Format(info, {row}, OutputFormat::kCsv),
            (Lines{"aggregation,count,sum,avg,min,max", "stats_ret,3,30,10.0,-5,20"}));
}

TEST(AggregationPrinterTest, KeyedStatsSortsByCount) {
  AggregationInfo info = ByComm(AggregationKind::kStats);
  info.name = "stats_ret_by_comm";
  std::vector<AggregationRow> rows = {StatsRow(CommKey("cat"), 1, 100, 100, 100),
                                      StatsRow(CommKey("bash"), 2, 3, 1, 2)};
  EXPECT_EQ(Format(info, rows),
            (Lines{"stats_ret_by_comm", "comm  count  sum     avg  min  max",
                   "bash      2    3    1.50    1    2", "cat       1  100  100.00  100  100"}));
}

TEST(AggregationPrinterTest, CsvQuotesFieldsWithCommas) {
  std::vector<AggregationRow> rows = {CountRow(CommKey("a,b\"c"), 2)};
  EXPECT_EQ(Format(ByComm(), rows, OutputFormat::kCsv),
            (Lines{"aggregation,comm,count", R"(count_by_comm,"a,b""c",2)"}));
}

TEST(AggregationPrinterTest, TimeColumnComesFirst) {
  MapPrintOptions options;
  options.format = OutputFormat::kNuon;
  options.time = TimeValue{"2025-01-02T15:04:05+01:00"};
  EXPECT_EQ(FormatAggregation(Keyless(), {CountRow("", 3)}, options),
            Lines{R"({"time": 2025-01-02T15:04:05+01:00, "aggregation": "count", "count": 3})"});
  options.format = OutputFormat::kJson;
  EXPECT_EQ(FormatAggregation(Keyless(), {CountRow("", 3)}, options),
            Lines{R"({"time": "2025-01-02T15:04:05+01:00", "aggregation": "count", "count": 3})"});
}

TEST(AggregationPrinterTest, Globals) {
  std::vector<GlobalInfo> globals = {{"total", FieldType::kI64, 0, 8},
                                     {"busy_time", FieldType::kDuration, 8, 8}};
  std::vector<FieldValue> values = {int64_t{-3}, Duration{1500000000}};
  MapPrintOptions options;
  EXPECT_EQ(FormatGlobals(globals, values, options),
            (Lines{"globals", "total      -3", "busy_time  1sec 500ms"}));
  options.format = OutputFormat::kJson;
  EXPECT_EQ(FormatGlobals(globals, values, options),
            (Lines{R"({"global": "total", "value": -3})",
                   R"({"global": "busy_time", "value": 1500000000})"}));
  options.format = OutputFormat::kNuon;
  EXPECT_EQ(FormatGlobals(globals, values, options)[1],
            R"({"global": "busy_time", "value": 1500000000ns})");
  options.format = OutputFormat::kCsv;
  EXPECT_EQ(FormatGlobals(globals, values, options),
            (Lines{"global,value", "total,-3", "busy_time,1500000000"}));
  EXPECT_EQ(FormatGlobals({}, {}, options), Lines{});
}

}  // namespace
}  // namespace nubpf::runtime
