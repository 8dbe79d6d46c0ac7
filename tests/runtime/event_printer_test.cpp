#include "runtime/event_printer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace nubpf::runtime {
namespace {

Metadata SampleMetadata() {
  ErrorOr<Metadata> metadata = ParseMetadata(
      "nubpf\t1\n"
      "event\t0\t48\topen\t1\t1\n"
      "field\t0\tpid\tu32\t8\t4\n"
      "field\t0\tcomm\tstring\t12\t16\n"
      "field\t0\tret\ti64\t32\t8\n"
      "field\t0\tok\tbool\t40\t1\n"
      "event\t1\t24\texec\t2\t1\n"
      "field\t1\tbytes\tu64\t8\t8\n"
      "field\t1\tfile\tstring\t16\t8\n");
  EXPECT_TRUE(metadata.ok());
  return *metadata;
}

DecodedEvent OpenEvent(const Metadata& metadata, uint64_t pid, std::string comm,
                       int64_t ret, bool ok) {
  return DecodedEvent{metadata.FindEvent(0), {pid, comm, ret, ok}, std::nullopt};
}

// Returns everything written to `file` since it was created.
std::string ReadBack(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  char buffer[256];
  size_t count;
  while ((count = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
    text.append(buffer, count);
  }
  return text;
}

TEST(EventJsonTest, KeepsRecordOrderAndTypes) {
  Metadata metadata = SampleMetadata();
  DecodedEvent event = OpenEvent(metadata, 42, "bash", -2, true);
  EXPECT_EQ(FormatRecordLine(OutputFormat::kJson, EventRecord(event)),
            R"({"pid": 42, "comm": "bash", "ret": -2, "ok": true})");
}

TEST(EventJsonTest, PrintsExtremesAndEscapes) {
  Metadata metadata = SampleMetadata();
  DecodedEvent event =
      OpenEvent(metadata, 4294967295u, std::string("a\"\n\xFF", 4),
                std::numeric_limits<int64_t>::min(), false);
  EXPECT_EQ(FormatRecordLine(OutputFormat::kJson, EventRecord(event)),
            R"({"pid": 4294967295, "comm": "a\"\n\ufffd", )"
            R"("ret": -9223372036854775808, "ok": false})");

  DecodedEvent exec{
      metadata.FindEvent(1),
      {std::numeric_limits<uint64_t>::max(), std::string("12345678")}, std::nullopt};
  EXPECT_EQ(FormatRecordLine(OutputFormat::kJson, EventRecord(exec)),
            R"({"bytes": 18446744073709551615, "file": "12345678"})");
}

TEST(FormatTableTest, AlignsNumbersRightAndStringsLeft) {
  Metadata metadata = SampleMetadata();
  EXPECT_EQ(FormatTableHeader(*metadata.FindEvent(0)),
            "       pid  comm                              ret  ok");
  EXPECT_EQ(FormatTableRow(OpenEvent(metadata, 42, "bash", -2, true)),
            "        42  bash                               -2  true");
}

TEST(FormatTableTest, LastStringColumnHasNoTrailingSpaces) {
  Metadata metadata = SampleMetadata();
  DecodedEvent exec{metadata.FindEvent(1), {uint64_t{7}, std::string("ab")}, std::nullopt};
  EXPECT_EQ(FormatTableHeader(*metadata.FindEvent(1)),
            "               bytes  file");
  EXPECT_EQ(FormatTableRow(exec), "                   7  ab");
}

TEST(FormatTableTest, AppendKeepsEarlierText) {
  Metadata metadata = SampleMetadata();
  std::string out = "   1.500000  ";
  AppendTableRow(out, OpenEvent(metadata, 42, "b\tash", -2, true));
  EXPECT_EQ(out, "   1.500000          42  b\\x09ash" + std::string(27, ' ') + "-2  true");
}

TEST(FormatTableTest, LongStringIsNeverCut) {
  Metadata metadata = SampleMetadata();
  std::string row =
      FormatTableRow(OpenEvent(metadata, 1, "0123456789abcdef", 0, false));
  EXPECT_NE(row.find("0123456789abcdef"), std::string::npos) << row;
}

TEST(EventPrinterTest, JsonWritesOneLinePerEvent) {
  Metadata metadata = SampleMetadata();
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EventPrinter printer(OutputFormat::kJson, file);
  ASSERT_TRUE(printer.Print(OpenEvent(metadata, 1, "a", 0, true)));
  ASSERT_TRUE(printer.Print(OpenEvent(metadata, 2, "b", 0, true)));
  EXPECT_EQ(ReadBack(file),
            "{\"pid\": 1, \"comm\": \"a\", \"ret\": 0, \"ok\": true}\n"
            "{\"pid\": 2, \"comm\": \"b\", \"ret\": 0, \"ok\": true}\n");
  std::fclose(file);
}

TEST(EventPrinterTest, TablePrintsHeaderWhenKindChanges) {
  Metadata metadata = SampleMetadata();
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EventPrinter printer(OutputFormat::kTable, file);
  DecodedEvent exec{metadata.FindEvent(1), {uint64_t{7}, std::string("x")}, std::nullopt};

  ASSERT_TRUE(printer.Print(OpenEvent(metadata, 1, "a", 0, true)));
  ASSERT_TRUE(printer.Print(OpenEvent(metadata, 2, "b", 0, true)));
  ASSERT_TRUE(printer.Print(exec));
  ASSERT_TRUE(printer.Print(OpenEvent(metadata, 3, "c", 0, true)));

  std::string text = ReadBack(file);
  std::string open_header = FormatTableHeader(*metadata.FindEvent(0));
  std::string exec_header = FormatTableHeader(*metadata.FindEvent(1));
  std::string expected =
      open_header + "\n" +
      FormatTableRow(OpenEvent(metadata, 1, "a", 0, true)) + "\n" +
      FormatTableRow(OpenEvent(metadata, 2, "b", 0, true)) + "\n" +
      exec_header + "\n" + FormatTableRow(exec) + "\n" + open_header + "\n" +
      FormatTableRow(OpenEvent(metadata, 3, "c", 0, true)) + "\n";
  EXPECT_EQ(text, expected);
  std::fclose(file);
}

// Event 2 is the print site `print $"($e.comm) pid=($e.pid) ok=($e.ok)"`.
Metadata PrintMetadata() {
  ErrorOr<Metadata> metadata = ParseMetadata(
      "nubpf\t1\n"
      "event\t0\t24\texec\t1\t1\n"
      "field\t0\tbytes\tu64\t8\t8\n"
      "field\t0\tfile\tstring\t16\t8\n"
      "event\t2\t40\topen\t2\t5\n"
      "field\t2\t0\tstring\t8\t16\n"
      "field\t2\t1\tu32\t24\t4\n"
      "field\t2\t2\tbool\t28\t1\n"
      "field\t2\t3\ti64\t32\t8\n"
      "print\t2\t{0} pid={1} ok={2}\n");
  EXPECT_TRUE(metadata.ok()) << metadata.error().message;
  return *metadata;
}

DecodedEvent PrintEvent(const Metadata& metadata, std::string comm,
                        uint64_t pid, bool ok) {
  return DecodedEvent{metadata.FindEvent(2), {comm, pid, ok, int64_t{-1}}, std::nullopt};
}

DecodedEvent ExecEvent(const Metadata& metadata, uint64_t bytes,
                       std::string file) {
  return DecodedEvent{metadata.FindEvent(0), {bytes, file}, std::nullopt};
}

PrintTemplate ParseTemplate(std::string_view text, size_t field_count) {
  ErrorOr<PrintTemplate> print = ParsePrintTemplate(text, field_count);
  EXPECT_TRUE(print.ok()) << print.error().message;
  return *print;
}

TEST(FormatPrintLineTest, ReplacesFieldsWithTheirValues) {
  std::vector<FieldValue> values = {std::string("bash"), uint64_t{42}, true,
                                    int64_t{-7}};
  EXPECT_EQ(
      FormatPrintLine(ParseTemplate("{0} pid={1} ok={2} ret={3}", 4), values),
      "bash pid=42 ok=true ret=-7");
  EXPECT_EQ(FormatPrintLine(ParseTemplate("{1}{1} {{{0}}}", 4), values),
            "4242 {bash}");
  EXPECT_EQ(FormatPrintLine(ParseTemplate("", 4), values), "");
}

TEST(FormatPrintLineTest, EscapesControlBytesForTerminal) {
  std::vector<FieldValue> values = {std::string("red\x1b[31m\ttext")};
  PrintTemplate print = ParseTemplate("file {0}\\n", 1);
  EXPECT_EQ(FormatPrintLine(print, values, /*for_terminal=*/true), "file red\\x1b[31m\\x09text\n");
  EXPECT_EQ(FormatPrintLine(print, values), "file red\x1b[31m\ttext\n");
}

TEST(FormatPrintLineTest, WritesEscapesAndStringBytes) {
  std::vector<FieldValue> values = {std::string("a\"b\\c")};
  EXPECT_EQ(FormatPrintLine(ParseTemplate(R"(x\t{0}\ny\\)", 1), values),
            "x\ta\"b\\c\ny\\");
}

TEST(PrintJsonTest, EscapesQuotesTabAndNewline) {
  EXPECT_EQ(FormatRecordLine(OutputFormat::kJson, {{"print", FieldValue(std::string("say \"hi\"\tto\nbash"))}}),
            R"({"print": "say \"hi\"\tto\nbash"})");
  EXPECT_EQ(FormatRecordLine(OutputFormat::kJson, {{"print", FieldValue(std::string())}}), R"({"print": ""})");
}

TEST(EventPrinterTest, TablePrintsLineAlone) {
  Metadata metadata = PrintMetadata();
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EventPrinter printer(OutputFormat::kTable, file);
  ASSERT_TRUE(printer.Print(PrintEvent(metadata, "bash", 42, true)));
  ASSERT_TRUE(printer.Print(PrintEvent(metadata, "cat", 7, false)));
  EXPECT_EQ(ReadBack(file), "bash pid=42 ok=true\ncat pid=7 ok=false\n");
  std::fclose(file);
}

TEST(EventPrinterTest, JsonWrapsLineInObject) {
  Metadata metadata = PrintMetadata();
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EventPrinter printer(OutputFormat::kJson, file);
  ASSERT_TRUE(printer.Print(PrintEvent(metadata, "say \"hi\"", 42, true)));
  EXPECT_EQ(ReadBack(file), R"({"print": "say \"hi\" pid=42 ok=true"})"
                            "\n");
  std::fclose(file);
}

TEST(EventPrinterTest, JsonInterleavesInArrivalOrder) {
  Metadata metadata = PrintMetadata();
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EventPrinter printer(OutputFormat::kJson, file);
  ASSERT_TRUE(printer.Print(ExecEvent(metadata, 1, "a")));
  ASSERT_TRUE(printer.Print(PrintEvent(metadata, "bash", 42, true)));
  ASSERT_TRUE(printer.Print(ExecEvent(metadata, 2, "b")));
  EXPECT_EQ(ReadBack(file),
            "{\"bytes\": 1, \"file\": \"a\"}\n"
            "{\"print\": \"bash pid=42 ok=true\"}\n"
            "{\"bytes\": 2, \"file\": \"b\"}\n");
  std::fclose(file);
}

TEST(EventPrinterTest, TablePrintLineKeepsHeaderBlock) {
  Metadata metadata = PrintMetadata();
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EventPrinter printer(OutputFormat::kTable, file);
  ASSERT_TRUE(printer.Print(PrintEvent(metadata, "first", 1, true)));
  ASSERT_TRUE(printer.Print(ExecEvent(metadata, 1, "a")));
  ASSERT_TRUE(printer.Print(PrintEvent(metadata, "bash", 42, true)));
  ASSERT_TRUE(printer.Print(ExecEvent(metadata, 2, "b")));

  // The row after the print line stays under the header printed before it.
  std::string expected = "first pid=1 ok=true\n" +
                         FormatTableHeader(*metadata.FindEvent(0)) + "\n" +
                         FormatTableRow(ExecEvent(metadata, 1, "a")) + "\n" +
                         "bash pid=42 ok=true\n" +
                         FormatTableRow(ExecEvent(metadata, 2, "b")) + "\n";
  EXPECT_EQ(ReadBack(file), expected);
  std::fclose(file);
}

TEST(EventPrinterTest, TablePrintLineWithNewlines) {
  ErrorOr<Metadata> metadata = ParseMetadata(
      "nubpf\t1\n"
      "event\t0\t16\tp\t1\t1\n"
      "field\t0\t0\tu64\t8\t8\n"
      "print\t0\tn={0}\\n\\tdone\n");
  ASSERT_TRUE(metadata.ok()) << metadata.error().message;
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EventPrinter printer(OutputFormat::kTable, file);
  ASSERT_TRUE(
      printer.Print(DecodedEvent{metadata->FindEvent(0), {uint64_t{3}}, std::nullopt}));
  EXPECT_EQ(ReadBack(file), "n=3\n\tdone\n");
  std::fclose(file);
}

TEST(EventPrinterTest, ReportsClosedPipe) {
  // Without this, writing to the closed pipe kills the test with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  close(fds[0]);
  std::FILE* file = fdopen(fds[1], "w");
  ASSERT_NE(file, nullptr);

  Metadata metadata = SampleMetadata();
  EventPrinter printer(OutputFormat::kJson, file);
  // The record waits in the stream's buffer until the flush sends it.
  EXPECT_TRUE(printer.Print(OpenEvent(metadata, 1, "a", 0, true)));
  errno = 0;
  EXPECT_FALSE(printer.Flush());
  EXPECT_EQ(errno, EPIPE) << std::strerror(errno);
  std::fclose(file);
}

TEST(EventPrinterTest, NuonWritesOneRecordPerLine) {
  Metadata metadata = SampleMetadata();
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EventPrinter printer(OutputFormat::kNuon, file);
  ASSERT_TRUE(printer.Print(OpenEvent(metadata, 1, "a\x01", -3, true)));
  EXPECT_EQ(ReadBack(file),
            "{\"pid\": 1, \"comm\": \"a\\u{0001}\", \"ret\": -3, \"ok\": true}\n");
  std::fclose(file);
}

TEST(EventPrinterTest, NuonWrapsPrintLine) {
  Metadata metadata = PrintMetadata();
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EventPrinter printer(OutputFormat::kNuon, file);
  ASSERT_TRUE(printer.Print(PrintEvent(metadata, "bash", 42, true)));
  EXPECT_EQ(ReadBack(file), "{\"print\": \"bash pid=42 ok=true\"}\n");
  std::fclose(file);
}

TEST(EventPrinterTest, CsvPrintsHeaderWhenKindChanges) {
  Metadata metadata = PrintMetadata();
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EventPrinter printer(OutputFormat::kCsv, file);
  ASSERT_TRUE(printer.Print(ExecEvent(metadata, 1, "a,b")));
  ASSERT_TRUE(printer.Print(ExecEvent(metadata, 2, "c")));
  ASSERT_TRUE(printer.Print(PrintEvent(metadata, "bash", 42, true)));
  ASSERT_TRUE(printer.Print(ExecEvent(metadata, 3, "d")));
  EXPECT_EQ(ReadBack(file),
            "bytes,file\n"
            "1,\"a,b\"\n"
            "2,c\n"
            "print\n"
            "bash pid=42 ok=true\n"
            "bytes,file\n"
            "3,d\n");
  std::fclose(file);
}

}  // namespace
}  // namespace nubpf::runtime

namespace nubpf::runtime {
namespace {

// Version 4: event 0 is `emit {pid, comm}` and event 1 the print site
// `print $"($e.comm) ran"`.
Metadata TimedMetadata() {
  ErrorOr<Metadata> metadata = ParseMetadata(
      "nubpf\t4\n"
      "event\t0\t40\topen\t1\t1\n"
      "field\t0\tpid\tu32\t16\t4\n"
      "field\t0\tcomm\tstring\t24\t16\n"
      "event\t1\t32\topen\t2\t1\n"
      "field\t1\t0\tstring\t16\t16\n"
      "print\t1\t{0} ran\n");
  EXPECT_TRUE(metadata.ok()) << metadata.error().message;
  return *metadata;
}

DecodedEvent TimedOpen(const Metadata& metadata, uint64_t time_ns) {
  return DecodedEvent{metadata.FindEvent(0), {uint64_t{7}, std::string("bash")}, time_ns};
}

DecodedEvent TimedPrint(const Metadata& metadata, uint64_t time_ns) {
  return DecodedEvent{metadata.FindEvent(1), {std::string("bash")}, time_ns};
}

// Relative times count from 1 s, so an event at 2.5 s is 1.5 s in.
EventClock Relative() {
  EventClock clock;
  clock.mode = TimestampMode::kRelative;
  clock.attach_ns = 1000000000;
  return clock;
}

TEST(EventPrinterTimeTest, TableStartsWithTimeColumn) {
  Metadata metadata = TimedMetadata();
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EventPrinter printer(OutputFormat::kTable, file, Relative());
  ASSERT_TRUE(printer.Print(TimedOpen(metadata, 2500000000)));
  ASSERT_TRUE(printer.Print(TimedPrint(metadata, 2500001000)));
  ASSERT_TRUE(printer.Print(TimedOpen(metadata, 3000000000)));

  const EventInfo& open = *metadata.FindEvent(0);
  std::string expected = "       time  " + FormatTableHeader(open) + "\n" +
                         "   1.500000  " + FormatTableRow(TimedOpen(metadata, 0)) + "\n" +
                         "   1.500001  bash ran\n" +
                         "   2.000000  " + FormatTableRow(TimedOpen(metadata, 0)) + "\n";
  EXPECT_EQ(ReadBack(file), expected);
  std::fclose(file);
}

TEST(EventPrinterTimeTest, JsonHasTimeFirst) {
  Metadata metadata = TimedMetadata();
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EventPrinter printer(OutputFormat::kJson, file, Relative());
  ASSERT_TRUE(printer.Print(TimedOpen(metadata, 2500000000)));
  ASSERT_TRUE(printer.Print(TimedPrint(metadata, 2500001000)));
  EXPECT_EQ(ReadBack(file),
            "{\"time\": 1500000000, \"pid\": 7, \"comm\": \"bash\"}\n"
            "{\"time\": 1500001000, \"print\": \"bash ran\"}\n");
  std::fclose(file);
}

TEST(EventPrinterTimeTest, NuonTimeIsDuration) {
  Metadata metadata = TimedMetadata();
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EventPrinter printer(OutputFormat::kNuon, file, Relative());
  ASSERT_TRUE(printer.Print(TimedOpen(metadata, 1000000500)));
  EXPECT_EQ(ReadBack(file), "{\"time\": 500ns, \"pid\": 7, \"comm\": \"bash\"}\n");
  std::fclose(file);
}

TEST(EventPrinterTimeTest, CsvHeaderHasTime) {
  Metadata metadata = TimedMetadata();
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EventPrinter printer(OutputFormat::kCsv, file, Relative());
  ASSERT_TRUE(printer.Print(TimedOpen(metadata, 1000000500)));
  ASSERT_TRUE(printer.Print(TimedPrint(metadata, 1000000600)));
  EXPECT_EQ(ReadBack(file), "time,pid,comm\n500,7,bash\ntime,print\n600,bash ran\n");
  std::fclose(file);
}

TEST(EventPrinterTimeTest, NoClockNoTimeColumn) {
  Metadata metadata = TimedMetadata();
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EventPrinter printer(OutputFormat::kJson, file);
  ASSERT_TRUE(printer.Print(TimedOpen(metadata, 2500000000)));
  EXPECT_EQ(ReadBack(file), "{\"pid\": 7, \"comm\": \"bash\"}\n");
  std::fclose(file);
}

TEST(EventPrinterTimeTest, LostRecordHasTime) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  EventPrinter printer(OutputFormat::kJson, file, Relative());
  ASSERT_TRUE(printer.PrintLostEvents(5));
  std::string line = ReadBack(file);
  EXPECT_EQ(line.rfind("{\"time\": ", 0), 0u) << line;
  EXPECT_NE(line.find(", \"lost_events\": 5}\n"), std::string::npos) << line;
  std::fclose(file);
}

}  // namespace
}  // namespace nubpf::runtime
