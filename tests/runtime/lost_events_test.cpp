// The lost event reports: the growth of the count between reads, and what
// each output format writes.
#include "runtime/lost_events.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <limits>
#include <string>

namespace nubpf::runtime {
namespace {

// Returns everything written to `file` since it was created.
std::string ReadBack(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  char buffer[256];
  size_t count;
  while ((count = std::fread(buffer, 1, sizeof(buffer), file)) > 0) text.append(buffer, count);
  return text;
}

TEST(LostEventsTest, RecordShapes) {
  EXPECT_EQ(FormatRecordLine(OutputFormat::kJson, LostEventsRecord(12, std::nullopt)),
            "{\"lost_events\": 12}");
  CellValue time = FieldValue(Duration{1500});
  EXPECT_EQ(FormatRecordLine(OutputFormat::kNuon, LostEventsRecord(3, time)),
            "{\"time\": 1500ns, \"lost_events\": 3}");
  EXPECT_EQ(FormatLostEventsWarning(12, 40),
            std::string(ProgramName()) +
                ": 12 events lost: the ring buffer was full (40 in all so far)");
}

TEST(LostEventsTest, CounterReturnsGrowth) {
  LostEventCounter counter;
  EXPECT_EQ(counter.Update(0), 0u);
  EXPECT_EQ(counter.Update(5), 5u);
  EXPECT_EQ(counter.Update(5), 0u);
  EXPECT_EQ(counter.Update(12), 7u);
  EXPECT_EQ(counter.total(), 12u);
}

TEST(LostEventsTest, CounterGrowthAcrossWrap) {
  LostEventCounter counter;
  uint64_t near_end = std::numeric_limits<uint64_t>::max() - 1;
  EXPECT_EQ(counter.Update(near_end), near_end);
  EXPECT_EQ(counter.Update(2), 4u);
}

TEST(LostEventsTest, TableWritesStderrLine) {
  std::FILE* out = std::tmpfile();
  std::FILE* diagnostics = std::tmpfile();
  ASSERT_NE(out, nullptr);
  ASSERT_NE(diagnostics, nullptr);
  EventPrinter printer(OutputFormat::kTable, out);
  EXPECT_TRUE(ReportNewlyLostEvents(4, 10, OutputFormat::kTable, printer, diagnostics));
  EXPECT_EQ(ReadBack(out), "");
  EXPECT_EQ(ReadBack(diagnostics), FormatLostEventsWarning(4, 10) + "\n");
  std::fclose(out);
  std::fclose(diagnostics);
}

TEST(LostEventsTest, JsonWritesRecordOnlyOnLoss) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  EventPrinter printer(OutputFormat::kJson, out);
  EXPECT_TRUE(ReportNewlyLostEvents(0, 0, OutputFormat::kJson, printer, stderr));
  EXPECT_TRUE(ReportNewlyLostEvents(9, 9, OutputFormat::kJson, printer, stderr));
  EXPECT_TRUE(ReportNewlyLostEvents(0, 9, OutputFormat::kJson, printer, stderr));
  EXPECT_EQ(ReadBack(out), "{\"lost_events\": 9}\n");
  std::fclose(out);
}

TEST(LostEventsTest, CsvRowsGetTheirOwnHeader) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  EventPrinter printer(OutputFormat::kCsv, out);
  ASSERT_TRUE(printer.PrintLostEvents(3));
  ASSERT_TRUE(printer.PrintLostEvents(4));
  EXPECT_EQ(ReadBack(out), "lost_events\n3\n4\n");
  std::fclose(out);
}

}  // namespace
}  // namespace nubpf::runtime
