#include "runtime/record_format.h"

#include <gtest/gtest.h>

#include <string>

namespace nubpf::runtime {
namespace {

TEST(RecordLineWriterTest, JsonMixesFieldsAndCells) {
  std::string out = "prefix ";
  RecordLineWriter writer(OutputFormat::kJson, out);
  writer.Add("time", CellValue(TimeValue{"2025-01-02T15:04:05.000000001+01:00"}));
  writer.Add("pid", FieldValue(uint64_t{42}));
  writer.Add("co\"mm", FieldValue(std::string("a\x01")));
  writer.Add("avg", CellValue(FloatValue{2.0}));
  writer.Add("upper", CellValue(NullValue{}));
  writer.Add("took", FieldValue(Duration{1500}));
  writer.Finish();
  EXPECT_EQ(out,
            "prefix {\"time\": \"2025-01-02T15:04:05.000000001+01:00\", \"pid\": 42, "
            "\"co\\\"mm\": \"a\\u0001\", \"avg\": 2.0, \"upper\": null, \"took\": 1500}");
}

TEST(RecordLineWriterTest, NuonWritesUnitsAndBareTimes) {
  std::string out;
  RecordLineWriter writer(OutputFormat::kNuon, out);
  writer.Add("time", CellValue(TimeValue{"2025-01-02T15:04:05+01:00"}));
  writer.Add("comm", FieldValue(std::string("a\x01")));
  writer.Add("took", FieldValue(Duration{-1500}));
  writer.Add("size", FieldValue(FileSize{4096}));
  writer.Add("avg", CellValue(FloatValue{2.9, FieldType::kDuration}));
  writer.Finish();
  EXPECT_EQ(out,
            "{\"time\": 2025-01-02T15:04:05+01:00, \"comm\": \"a\\u{0001}\", "
            "\"took\": -1500ns, \"size\": 4096b, \"avg\": 2ns}");
}

TEST(RecordLineWriterTest, EmptyRecordIsBraces) {
  std::string out;
  RecordLineWriter writer(OutputFormat::kJson, out);
  writer.Finish();
  EXPECT_EQ(out, "{}");
  EXPECT_EQ(FormatRecordLine(OutputFormat::kNuon, Record{}), "{}");
}

}  // namespace
}  // namespace nubpf::runtime
