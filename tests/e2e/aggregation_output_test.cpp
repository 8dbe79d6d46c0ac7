// What nubpf-run prints of every kind of aggregation, for a child with a
// known comm that makes a known set of read(2) calls: the exact table,
// bar charts included, the JSON records, and the drop message on stderr.

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/nushell.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

constexpr char kChildComm[] = "nubpf_aggout";

// The reads the child makes, in order: COUNT reads of SIZE bytes from
// /dev/zero, and reads of a closed descriptor, which return -EBADF (-9).
struct Reads {
  int count;
  int size;  // -1: read a closed descriptor
};
constexpr Reads kReads[] = {{10, 100}, {5, 300}, {3, 5000}, {2, 0}, {2, -1}};

// Forks a child named kChildComm that makes kReads with raw system calls,
// so that no libc buffering adds reads, and waits for it.
bool RunReadingChild() {
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    prctl(PR_SET_NAME, kChildComm);
    int zero = open("/dev/zero", O_RDONLY);
    static char buffer[8192];
    for (const Reads& reads : kReads) {
      for (int i = 0; i < reads.count; ++i) {
        int fd = reads.size < 0 ? 1000 : zero;
        syscall(SYS_read, fd, buffer, reads.size < 0 ? 1 : reads.size);
      }
    }
    _exit(zero < 0 ? 1 : 0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// The LRU map and the stats keyed by pid print values that vary from run
// to run, so the tables below leave them out.
constexpr char kProbe[] = R"(
probe tracepoint:syscalls:sys_exit_read {|e|
    if $e.comm == "nubpf_aggout" {
        count --as agg_count
        $e.ret | math sum --as agg_sum
        $e.ret | math avg --by $e.comm --as agg_avg
        $e.ret | math min --as agg_min
        $e.ret | math max --as agg_max
        $e.ret | stats --by $e.comm --as agg_stats
        $e.ret | histogram --as agg_log2
        $e.ret | histogram --linear 0 1000 100 --as agg_linear
        count --by $e.ret --max-entries 4 --as agg_full
    }
}
)";

struct Output {
  std::string error;
  std::string out;
  std::string err;
};

Output RunProbe(const TempDir& dir, const std::vector<std::string>& flags) {
  std::string source = dir.File("aggregations.nu");
  std::string object = dir.File("aggregations.bpf.o");
  std::ofstream(source) << kProbe;
  Output output;
  output.error = Compile(source, object);
  if (!output.error.empty()) return output;

  std::vector<std::string> argv = {NubpfRunPath(), object};
  argv.insert(argv.end(), flags.begin(), flags.end());
  Subprocess run(argv);
  if (!run.WaitForStderr("attached", seconds(20))) {
    output.error = run.stderr_text();
    return output;
  }
  if (!RunReadingChild()) output.error = "the child failed";
  if (run.Stop(SIGINT) != 0) output.error = run.stderr_text();
  output.out = run.ReadRemaining(seconds(5));
  // The drop message comes last on stderr, after the maps print.
  run.WaitForStderr("dropped", seconds(5));
  output.err = run.stderr_text();
  return output;
}

std::string Bar(int width) { return std::string(width, '@') + std::string(52 - width, ' '); }

TEST(AggregationOutput, TableShowsEveryKind) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  Output output = RunProbe(dir, {});
  ASSERT_EQ(output.error, "");

  std::string expected =
      "agg_count  22\n"
      "\n"
      "agg_sum  17482\n"
      "\n"
      "agg_avg\n"
      "comm             avg\n"
      "nubpf_aggout  794.64\n"
      "\n"
      "agg_min  -9\n"
      "\n"
      "agg_max  5000\n"
      "\n"
      "agg_stats\n"
      "comm          count    sum     avg  min   max\n"
      "nubpf_aggout     22  17482  794.64   -9  5000\n"
      "\n"
      "agg_log2\n"
      "(..., 0)    2 |" + Bar(10) + "|\n"
      "[0]         2 |" + Bar(10) + "|\n"
      "[1]         0 |" + Bar(0) + "|\n"
      "[2, 4)      0 |" + Bar(0) + "|\n"
      "[4, 8)      0 |" + Bar(0) + "|\n"
      "[8, 16)     0 |" + Bar(0) + "|\n"
      "[16, 32)    0 |" + Bar(0) + "|\n"
      "[32, 64)    0 |" + Bar(0) + "|\n"
      "[64, 128)  10 |" + Bar(52) + "|\n"
      "[128, 256)  0 |" + Bar(0) + "|\n"
      "[256, 512)  5 |" + Bar(26) + "|\n"
      "[512, 1K)   0 |" + Bar(0) + "|\n"
      "[1K, 2K)    0 |" + Bar(0) + "|\n"
      "[2K, 4K)    0 |" + Bar(0) + "|\n"
      "[4K, 8K)    3 |" + Bar(15) + "|\n"
      "\n"
      "agg_linear\n"
      "(..., 0)     2 |" + Bar(10) + "|\n"
      "[0, 100)     2 |" + Bar(10) + "|\n"
      "[100, 200)  10 |" + Bar(52) + "|\n"
      "[200, 300)   0 |" + Bar(0) + "|\n"
      "[300, 400)   5 |" + Bar(26) + "|\n"
      "[400, 500)   0 |" + Bar(0) + "|\n"
      "[500, 600)   0 |" + Bar(0) + "|\n"
      "[600, 700)   0 |" + Bar(0) + "|\n"
      "[700, 800)   0 |" + Bar(0) + "|\n"
      "[800, 900)   0 |" + Bar(0) + "|\n"
      "[900, 1000)  0 |" + Bar(0) + "|\n"
      "[1000, ...)  3 |" + Bar(15) + "|\n"
      "\n"
      "agg_full\n"
      " ret  count\n"
      " 100     10\n"
      " 300      5\n"
      "5000      3\n"
      "   0      2\n";
  EXPECT_EQ(output.out, expected);

  // The two reads that returned -9 found agg_full full.
  EXPECT_NE(output.err.find("nubpf-run: agg_full: 2 updates of new keys dropped because "
                            "the map was full (--max-entries 4)\n"),
            std::string::npos)
      << output.err;
}

TEST(AggregationOutput, JsonRecords) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  Output output = RunProbe(dir, {"--format", "json"});
  ASSERT_EQ(output.error, "");

  std::vector<nlohmann::json> records;
  std::istringstream lines(output.out);
  for (std::string line; std::getline(lines, line);) {
    records.push_back(nlohmann::json::parse(line));
  }
  ASSERT_EQ(records.size(), 6u + 5 + 5 + 4) << output.out;
  EXPECT_EQ(records[0], nlohmann::json::parse(R"({"aggregation": "agg_count", "count": 22})"));
  EXPECT_EQ(records[1], nlohmann::json::parse(R"({"aggregation": "agg_sum", "sum": 17482})"));
  EXPECT_EQ(records[2]["comm"], kChildComm);
  EXPECT_DOUBLE_EQ(records[2]["avg"].get<double>(), 17482.0 / 22);
  EXPECT_EQ(records[3], nlohmann::json::parse(R"({"aggregation": "agg_min", "min": -9})"));
  EXPECT_EQ(records[4], nlohmann::json::parse(R"({"aggregation": "agg_max", "max": 5000})"));
  EXPECT_EQ(records[5]["count"], 22);
  EXPECT_EQ(records[5]["sum"], 17482);
  EXPECT_EQ(records[5]["min"], -9);
  EXPECT_EQ(records[5]["max"], 5000);
  // Histograms give one record per non-empty bucket, open ends as null.
  EXPECT_EQ(records[6], nlohmann::json::parse(
                            R"({"aggregation": "agg_log2", "from": null, "to": 0, "count": 2})"));
  EXPECT_EQ(records[10], nlohmann::json::parse(
                             R"({"aggregation": "agg_log2", "from": 4096, "to": 8192, "count": 3})"));
  EXPECT_EQ(records[15], nlohmann::json::parse(
                             R"({"aggregation": "agg_linear", "from": 1000, "to": null, "count": 3})"));
  EXPECT_EQ(records[16], nlohmann::json::parse(
                             R"({"aggregation": "agg_full", "ret": 100, "count": 10})"));
}

TEST(AggregationOutput, NushellReadsNuon) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  if (NuPath().empty()) GTEST_FAIL() << kNuMissing;
  TempDir dir;
  Output output = RunProbe(dir, {"--format", "nuon"});
  ASSERT_EQ(output.error, "");
  std::string path = dir.File("out.nuon");
  std::ofstream(path) << output.out;

  RunResult buckets = EvaluateWithNushell(
      "open --raw " + path +
      " | lines | each { from nuon } | where aggregation == agg_linear | get count | math sum");
  ASSERT_EQ(buckets.exit_code, 0) << buckets.err;
  EXPECT_EQ(buckets.out, "22\n");
}

TEST(AggregationOutput, StoreDropsAreReported) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string source = dir.File("store.nu");
  std::string object = dir.File("store.bpf.o");
  // nubpf-run and the child both make system calls, so a store of one
  // entry keyed by comm drops at least one insert.
  std::ofstream(source) << "probe tracepoint:raw_syscalls:sys_enter {|e|\n"
                           "    1 | store set seen --key $e.comm --max-entries 1\n"
                           "}\n";
  ASSERT_EQ(Compile(source, object), "");

  Subprocess run({NubpfRunPath(), object});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  ASSERT_TRUE(RunReadingChild());
  ASSERT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();
  run.ReadRemaining(seconds(5));
  EXPECT_TRUE(run.WaitForStderr("updates of new keys dropped", seconds(5))) << run.stderr_text();
  EXPECT_NE(run.stderr_text().find("nubpf-run: seen: "), std::string::npos)
      << run.stderr_text();
  EXPECT_NE(run.stderr_text().find(" updates of new keys dropped because the map was full "
                                   "(--max-entries 1)\n"),
            std::string::npos)
      << run.stderr_text();
}

}  // namespace
}  // namespace nubpf::testing
