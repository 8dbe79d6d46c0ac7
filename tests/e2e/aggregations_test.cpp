// Aggregations against the kernel: a child with a known comm makes a known
// set of read(2) calls, and every kind of aggregation contains exactly the
// values those calls return. The test reads the maps with bpftool while
// nubpf-run runs, and merges the per-CPU values itself.

#include <signal.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/reading_child.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

constexpr char kChildComm[] = "nubpf_agg";
constexpr char kBpftool[] = "/usr/sbin/bpftool";

// The reads the child makes, in order: 10 of 100 bytes, 5 of 300, 3 of
// 5000, 2 of 0 and 2 of a closed descriptor, which return -9.
const std::vector<ReadBatch> kReads = {{10, 100}, {5, 300}, {3, 5000}, {2, 0}, {2, -1}};

// One entry of a per-CPU map: its key bytes and each CPU's value words.
struct Entry {
  std::string key;
  std::vector<std::vector<int64_t>> cpus;
};

std::string Bytes(const nlohmann::json& hex) {
  std::string bytes;
  for (const nlohmann::json& byte : hex) {
    bytes += static_cast<char>(std::stoul(byte.get<std::string>(), nullptr, 16));
  }
  return bytes;
}

std::vector<int64_t> Words(const std::string& bytes) {
  std::vector<int64_t> words(bytes.size() / 8);
  std::memcpy(words.data(), bytes.data(), words.size() * 8);
  return words;
}

// Returns the ids of the maps that process `pid` has open, by name. The
// fdinfo of a map descriptor has its id; the name comes from bpftool.
std::map<std::string, uint32_t> MapsOf(pid_t pid) {
  std::map<std::string, uint32_t> maps;
  std::string folder = "/proc/" + std::to_string(pid) + "/fdinfo";
  for (const auto& file : std::filesystem::directory_iterator(folder)) {
    std::ifstream info(file.path());
    for (std::string line; std::getline(info, line);) {
      if (line.rfind("map_id:", 0) != 0) continue;
      std::string id = line.substr(line.find_first_not_of(" \t", 7));
      RunResult show = RunToExit({kBpftool, "map", "show", "id", id, "-j"});
      if (show.exit_code != 0) continue;
      maps[nlohmann::json::parse(show.out)["name"]] = std::stoul(id);
    }
  }
  return maps;
}

// Dumps a per-CPU map with bpftool: `-j` gives each key and each CPU's
// value as arrays of hex bytes.
std::optional<std::vector<Entry>> Dump(uint32_t id) {
  RunResult dump = RunToExit({kBpftool, "map", "dump", "id", std::to_string(id), "-j"});
  if (dump.exit_code != 0) return std::nullopt;
  std::vector<Entry> entries;
  for (const nlohmann::json& item : nlohmann::json::parse(dump.out)) {
    Entry entry{Bytes(item["key"]), {}};
    for (const nlohmann::json& cpu : item["values"]) {
      entry.cpus.push_back(Words(Bytes(cpu["value"])));
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

// Returns the words of the one value of the `.bss` map among `maps`, which
// libbpf names after the object: `nubpf_lost`, then `nubpf_drops`.
std::vector<int64_t> BssWords(const std::map<std::string, uint32_t>& maps) {
  for (const auto& [name, id] : maps) {
    if (name.size() < 4 || name.substr(name.size() - 4) != ".bss") continue;
    RunResult dump = RunToExit({kBpftool, "map", "dump", "id", std::to_string(id), "-j"});
    EXPECT_EQ(dump.exit_code, 0) << dump.err;
    if (dump.exit_code != 0) return {};
    return Words(Bytes(nlohmann::json::parse(dump.out).at(0)["value"]));
  }
  ADD_FAILURE() << "nubpf-run has no `.bss` map";
  return {};
}

// Sums each word over the CPUs.
std::vector<int64_t> SumCpus(const Entry& entry) {
  std::vector<int64_t> total(entry.cpus.at(0).size(), 0);
  for (const std::vector<int64_t>& words : entry.cpus) {
    for (size_t i = 0; i < words.size(); ++i) total[i] += words[i];
  }
  return total;
}

// Merges [count, extreme] words over the CPUs that have a value.
int64_t MergeExtreme(const Entry& entry, size_t word, bool keep_less) {
  std::optional<int64_t> best;
  for (const std::vector<int64_t>& words : entry.cpus) {
    if (words[0] == 0) continue;
    int64_t value = words[word];
    if (!best || (keep_less ? value < *best : value > *best)) best = value;
  }
  return best.value_or(0);
}

std::string CommKey() {
  std::string key(16, '\0');
  std::memcpy(key.data(), kChildComm, sizeof(kChildComm) - 1);
  return key;
}

constexpr char kProbe[] = R"(
probe tracepoint:syscalls:sys_exit_read {|e|
    if $e.comm == "nubpf_agg" {
        count --as agg_count
        $e.ret | math sum --as agg_sum
        $e.ret | math avg --by $e.comm --as agg_avg
        $e.ret | math min --as agg_min
        $e.ret | math max --as agg_max
        $e.ret | stats --by {comm: $e.comm, pid: $e.pid} --as agg_stats
        $e.ret | histogram --as agg_log2
        $e.ret | histogram --linear 0 1000 100 --as agg_linear
        count --by $e.ret --max-entries 4 --as agg_full
        $e.ret | math sum --by $e.ret --max-entries 4 --lru --as agg_lru
    }
}
)";

class AggregationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
    ASSERT_TRUE(std::filesystem::exists(kBpftool)) << "run tools/setup.sh";
    std::string source = dir_.File("aggregations.nu");
    std::string object = dir_.File("aggregations.bpf.o");
    std::ofstream(source) << kProbe;
    ASSERT_EQ(Compile(source, object), "");

    run_.emplace(std::vector<std::string>{NubpfRunPath(), object, "--format", "json"});
    ASSERT_TRUE(run_->WaitForStderr("attached", seconds(20))) << run_->stderr_text();
    ASSERT_TRUE(RunReadingChild(kChildComm, kReads));
    maps_ = MapsOf(run_->pid());
  }

  void TearDown() override {
    if (run_) {
      EXPECT_EQ(run_->Stop(SIGINT), 0) << run_->stderr_text();
    }
  }

  std::vector<Entry> Map(const std::string& name) {
    auto found = maps_.find(name);
    EXPECT_NE(found, maps_.end()) << "nubpf-run has no map `" << name << "`";
    if (found == maps_.end()) return {};
    std::optional<std::vector<Entry>> entries = Dump(found->second);
    EXPECT_TRUE(entries) << "bpftool could not dump `" << name << "`";
    return entries.value_or(std::vector<Entry>{});
  }

  TempDir dir_;
  std::optional<Subprocess> run_;
  std::map<std::string, uint32_t> maps_;
};

// 10 reads of 100 bytes, 5 of 300, 3 of 5000, 2 of 0 and 2 of -9.
constexpr int64_t kCount = 22;
constexpr int64_t kSum = 10 * 100 + 5 * 300 + 3 * 5000 + 2 * -9;

TEST_F(AggregationsTest, KeylessCountSumMinMax) {
  std::vector<Entry> count = Map("agg_count");
  ASSERT_EQ(count.size(), 1u);
  EXPECT_EQ(SumCpus(count[0]), std::vector<int64_t>{kCount});

  std::vector<Entry> sum = Map("agg_sum");
  ASSERT_EQ(sum.size(), 1u);
  EXPECT_EQ(SumCpus(sum[0]), std::vector<int64_t>{kSum});

  std::vector<Entry> min = Map("agg_min");
  ASSERT_EQ(min.size(), 1u);
  EXPECT_EQ(SumCpus(min[0])[0], kCount);
  EXPECT_EQ(MergeExtreme(min[0], 1, /*keep_less=*/true), -9);

  std::vector<Entry> max = Map("agg_max");
  ASSERT_EQ(max.size(), 1u);
  EXPECT_EQ(MergeExtreme(max[0], 1, /*keep_less=*/false), 5000);
}

TEST_F(AggregationsTest, KeyedAvgAndStats) {
  std::vector<Entry> avg = Map("agg_avg");
  ASSERT_EQ(avg.size(), 1u);
  EXPECT_EQ(avg[0].key, CommKey());
  EXPECT_EQ(SumCpus(avg[0]), (std::vector<int64_t>{kCount, kSum}));

  // The key is comm at 0 and the u32 pid at 16, padded to 24 with zeros.
  std::vector<Entry> stats = Map("agg_stats");
  ASSERT_EQ(stats.size(), 1u);
  ASSERT_EQ(stats[0].key.size(), 24u);
  EXPECT_EQ(stats[0].key.substr(0, 16), CommKey());
  EXPECT_EQ(stats[0].key.substr(20), std::string(4, '\0'));
  std::vector<int64_t> total = SumCpus(stats[0]);
  EXPECT_EQ(total[0], kCount);
  EXPECT_EQ(total[1], kSum);
  EXPECT_EQ(MergeExtreme(stats[0], 2, /*keep_less=*/true), -9);
  EXPECT_EQ(MergeExtreme(stats[0], 3, /*keep_less=*/false), 5000);
}

TEST_F(AggregationsTest, Log2HistogramBuckets) {
  std::vector<Entry> histogram = Map("agg_log2");
  ASSERT_EQ(histogram.size(), 1u);
  std::vector<int64_t> expected(65, 0);
  expected[0] = 2;   // -9
  expected[1] = 2;   // 0
  expected[8] = 10;  // 100 in [64, 128)
  expected[10] = 5;  // 300 in [256, 512)
  expected[14] = 3;  // 5000 in [4096, 8192)
  EXPECT_EQ(SumCpus(histogram[0]), expected);
}

TEST_F(AggregationsTest, LinearHistogramBuckets) {
  std::vector<Entry> histogram = Map("agg_linear");
  ASSERT_EQ(histogram.size(), 1u);
  std::vector<int64_t> expected(12, 0);
  expected[0] = 2;   // -9, below MIN
  expected[1] = 2;   // 0 in [0, 100)
  expected[2] = 10;  // 100 in [100, 200)
  expected[4] = 5;   // 300 in [300, 400)
  expected[11] = 3;  // 5000, from 1000 up
  EXPECT_EQ(SumCpus(histogram[0]), expected);
}

// The child reads 100, 300, 5000 and 0 first, which fill the 4 entries,
// and then -9 twice, which the full map drops.
TEST_F(AggregationsTest, FullMapCountsDrops) {
  std::vector<Entry> full = Map("agg_full");
  ASSERT_EQ(full.size(), 4u);
  std::map<int64_t, int64_t> counts;
  for (const Entry& entry : full) counts[Words(entry.key)[0]] = SumCpus(entry)[0];
  EXPECT_EQ(counts, (std::map<int64_t, int64_t>{{0, 2}, {100, 10}, {300, 5}, {5000, 3}}));

  // Slots follow the keyed maps that are not LRU: agg_avg, agg_stats and
  // agg_full. The LRU map evicts instead and has no slot. `.bss` contains
  // `nubpf_lost`, 0 without events, and then a drop counter per slot.
  EXPECT_EQ(BssWords(maps_), (std::vector<int64_t>{0, 0, 0, 2}));
}

}  // namespace
}  // namespace nubpf::testing
