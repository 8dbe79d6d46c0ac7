#include "runtime/event_printer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>

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
  return DecodedEvent{metadata.FindEvent(0), {pid, comm, ret, ok}};
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

TEST(FormatEventJsonTest, KeepsRecordOrderAndTypes) {
  Metadata metadata = SampleMetadata();
  DecodedEvent event = OpenEvent(metadata, 42, "bash", -2, true);
  EXPECT_EQ(FormatEventJson(event),
            R"({"pid": 42, "comm": "bash", "ret": -2, "ok": true})");
}

TEST(FormatEventJsonTest, PrintsExtremesAndEscapes) {
  Metadata metadata = SampleMetadata();
  DecodedEvent event =
      OpenEvent(metadata, 4294967295u, std::string("a\"\n\xFF", 4),
                std::numeric_limits<int64_t>::min(), false);
  EXPECT_EQ(FormatEventJson(event),
            R"({"pid": 4294967295, "comm": "a\"\u000a\ufffd", )"
            R"("ret": -9223372036854775808, "ok": false})");

  DecodedEvent exec{
      metadata.FindEvent(1),
      {std::numeric_limits<uint64_t>::max(), std::string("12345678")}};
  EXPECT_EQ(FormatEventJson(exec),
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
  DecodedEvent exec{metadata.FindEvent(1), {uint64_t{7}, std::string("ab")}};
  EXPECT_EQ(FormatTableHeader(*metadata.FindEvent(1)),
            "               bytes  file");
  EXPECT_EQ(FormatTableRow(exec), "                   7  ab");
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
  DecodedEvent exec{metadata.FindEvent(1), {uint64_t{7}, std::string("x")}};

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
  errno = 0;
  EXPECT_FALSE(printer.Print(OpenEvent(metadata, 1, "a", 0, true)));
  EXPECT_EQ(errno, EPIPE) << std::strerror(errno);
  std::fclose(file);
}

}  // namespace
}  // namespace nubpf::runtime
