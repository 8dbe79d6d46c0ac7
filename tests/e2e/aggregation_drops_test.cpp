// A keyed aggregation whose map is full drops new keys, and nubpf-run
// reports the drops on stderr when it stops: a child makes reads of 10
// distinct sizes into a map of 4 entries.

#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/reading_child.h"
#include "tests/support/sample_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr char kChildComm[] = "nubpf_drops";

constexpr char kProbe[] = R"(
probe tracepoint:syscalls:sys_exit_read {|e|
    if $e.comm == "nubpf_drops" {
        count --by $e.ret --max-entries 4 --as read_sizes
    }
}
)";

// One read of each size from 1 to 10 bytes: the first 4 sizes fill the
// map and the other 6 are dropped.
bool ReadTenSizes() {
  std::vector<ReadBatch> batches;
  for (int size = 1; size <= 10; ++size) batches.push_back({1, size});
  return RunReadingChild(kChildComm, batches);
}

TEST(AggregationDrops, FullMapReportsDropsAtExit) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string source = dir.File("drops.nu");
  std::ofstream(source) << kProbe;
  SampleRun run = RunProbeFile(source, {"--format", "json"}, ReadTenSizes);
  ASSERT_EQ(run.error, "");

  std::string error;
  std::vector<nlohmann::json> rows = AggregationRecords(run.output, "read_sizes", &error);
  ASSERT_EQ(error, "");
  ASSERT_EQ(rows.size(), 4u) << run.output;
  for (const nlohmann::json& row : rows) {
    EXPECT_LE(row.at("ret"), 4) << row;
    EXPECT_EQ(row.at("count"), 1) << row;
  }

  EXPECT_NE(run.stderr_text.find("read_sizes: 6 updates of new keys dropped because the map was full "
                                 "(--max-entries 4)"),
            std::string::npos)
      << run.stderr_text;
}

}  // namespace
}  // namespace nubpf::testing
