// The lost event reports: the counter over a real per-CPU array made with
// bpf_map_create() (needs root), and what each output format writes.
#include "runtime/lost_events.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

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

// A one-entry per-CPU array of u64 like `nubpf_lost`, closed at the end of
// the test.
class LostMap {
 public:
  LostMap() {
    fd_ = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "nubpf_lost", 4, 8, 1, nullptr);
  }
  ~LostMap() {
    if (fd_ >= 0) close(fd_);
  }
  bool ok() const { return fd_ >= 0; }
  MapHandle handle() const { return MapHandle{fd_, "nubpf_lost", 4, 8}; }

  // Sets CPU 0's count to `first` and every other CPU's to 1.
  void Set(uint64_t first) {
    std::vector<uint64_t> values(libbpf_num_possible_cpus(), 1);
    values[0] = first;
    uint32_t key = 0;
    ASSERT_EQ(bpf_map_update_elem(fd_, &key, values.data(), BPF_ANY), 0) << std::strerror(errno);
  }

 private:
  int fd_ = -1;
};

TEST(LostEventsTest, RecordShapes) {
  EXPECT_EQ(FormatRecordLine(OutputFormat::kJson, LostEventsRecord(12, std::nullopt)),
            "{\"lost_events\": 12}");
  CellValue time = FieldValue(Duration{1500});
  EXPECT_EQ(FormatRecordLine(OutputFormat::kNuon, LostEventsRecord(3, time)),
            "{\"time\": 1500ns, \"lost_events\": 3}");
  EXPECT_EQ(FormatLostEventsWarning(12, 40),
            "nubpf-run: 12 events lost: the ring buffer was full (40 in all so far)");
}

TEST(LostEventsTest, CounterWithoutMapLosesNothing) {
  LostEventCounter counter(std::nullopt);
  ErrorOr<uint64_t> lost = counter.ReadNewlyLost();
  ASSERT_TRUE(lost.ok());
  EXPECT_EQ(*lost, 0u);
  EXPECT_EQ(counter.total(), 0u);
}

TEST(LostEventsTest, CounterReportsGrowthOnce) {
  if (getuid() != 0) GTEST_SKIP() << "creating BPF maps needs root";
  LostMap map;
  ASSERT_TRUE(map.ok()) << std::strerror(errno);
  uint64_t other_cpus = static_cast<uint64_t>(libbpf_num_possible_cpus()) - 1;
  LostEventCounter counter(map.handle());

  map.Set(5);
  ErrorOr<uint64_t> lost = counter.ReadNewlyLost();
  ASSERT_TRUE(lost.ok()) << lost.error().message;
  EXPECT_EQ(*lost, 5 + other_cpus);

  lost = counter.ReadNewlyLost();
  ASSERT_TRUE(lost.ok()) << lost.error().message;
  EXPECT_EQ(*lost, 0u);

  map.Set(12);
  lost = counter.ReadNewlyLost();
  ASSERT_TRUE(lost.ok()) << lost.error().message;
  EXPECT_EQ(*lost, 7u);
  EXPECT_EQ(counter.total(), 12 + other_cpus);
}

TEST(LostEventsTest, TableWritesStderrLine) {
  if (getuid() != 0) GTEST_SKIP() << "creating BPF maps needs root";
  LostMap map;
  ASSERT_TRUE(map.ok()) << std::strerror(errno);
  map.Set(0);
  // Counts the other CPUs' ones now, so that only the next growth shows.
  LostEventCounter counter(map.handle());
  ASSERT_TRUE(counter.ReadNewlyLost().ok());
  uint64_t before = counter.total();

  std::FILE* out = std::tmpfile();
  std::FILE* diagnostics = std::tmpfile();
  ASSERT_NE(out, nullptr);
  ASSERT_NE(diagnostics, nullptr);
  EventPrinter printer(OutputFormat::kTable, out);
  map.Set(4);
  ErrorOr<bool> written =
      ReportNewlyLostEvents(counter, OutputFormat::kTable, printer, diagnostics);
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_TRUE(*written);
  EXPECT_EQ(ReadBack(out), "");
  EXPECT_EQ(ReadBack(diagnostics),
            FormatLostEventsWarning(4, before + 4) + "\n");
  std::fclose(out);
  std::fclose(diagnostics);
}

TEST(LostEventsTest, JsonWritesRecordOnlyOnGrowth) {
  if (getuid() != 0) GTEST_SKIP() << "creating BPF maps needs root";
  LostMap map;
  ASSERT_TRUE(map.ok()) << std::strerror(errno);
  map.Set(0);
  LostEventCounter counter(map.handle());
  ASSERT_TRUE(counter.ReadNewlyLost().ok());

  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  EventPrinter printer(OutputFormat::kJson, out);
  ASSERT_TRUE(ReportNewlyLostEvents(counter, OutputFormat::kJson, printer, stderr).ok());
  map.Set(9);
  ASSERT_TRUE(ReportNewlyLostEvents(counter, OutputFormat::kJson, printer, stderr).ok());
  ASSERT_TRUE(ReportNewlyLostEvents(counter, OutputFormat::kJson, printer, stderr).ok());
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
