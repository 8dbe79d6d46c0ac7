// Aggregation sites that share one map although their keys differ in
// string length or int width: the copies of a def body and of a loop body,
// and the sites of one `--as` name. A child with a known comm calls
// getppid(2) a known number of times, and the JSON output must hold each
// map under one name, with equal strings and equal ints as one key.

#include <signal.h>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

constexpr char kChildComm[] = "nubpf_keys";
constexpr int kCalls = 3;

// Every pair of sites below gives one key field two types: string[5] and
// string[6] for `sum_n_by_op` and `ops`, string[2] and string[3] for the
// loops, string[11] and string[16] for `names`, and u32 and i64 for `ids`.
constexpr char kProbe[] = R"(
def tally [what: string, n: int] { $n | math sum --by {op: $what} }

probe tracepoint:syscalls:sys_enter_getppid {|e|
    if $e.comm == "nubpf_keys" {
        tally "read" 1
        tally "write" 2
        for op in ["a" "bb"] { count --by $op }
        for op in ["a" "bb"] { count --by $op --as loop_ops }
        count --by {op: "read"} --as ops
        count --by {op: "write"} --as ops
        count --by {name: "nubpf_keys"} --as names
        count --by {name: $e.comm} --as names
        count --by {id: $e.pid} --as ids
        count --by {id: ($e.pid | into int)} --as ids
    }
}
)";

// The JSON records of each aggregation, by its name.
using Records = std::map<std::string, std::vector<nlohmann::json>>;

// Compiles kProbe, runs it while the child calls getppid(2) kCalls times,
// and returns the JSON records that nubpf-run prints when it stops.
Records RunProbe(const TempDir& dir) {
  std::string source = dir.File("shared_keys.nu");
  std::string object = dir.File("shared_keys.bpf.o");
  std::ofstream(source) << kProbe;
  std::string error = Compile(source, object);
  EXPECT_EQ(error, "");
  if (!error.empty()) return {};

  Subprocess run({NubpfRunPath(), object, "--format", "json"});
  bool attached = run.WaitForStderr("attached", seconds(20));
  EXPECT_TRUE(attached) << run.stderr_text();
  if (!attached) return {};
  EXPECT_TRUE(CallGetppidAs(kChildComm, kCalls));
  EXPECT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();

  Records records;
  std::istringstream lines(run.ReadRemaining(seconds(5)));
  for (std::string line; std::getline(lines, line);) {
    nlohmann::json record = nlohmann::json::parse(line);
    records[record["aggregation"].get<std::string>()].push_back(record);
  }
  return records;
}

// Returns the value `column` of each record, by the string in `key`.
std::map<std::string, int64_t> ByKey(const std::vector<nlohmann::json>& records,
                                     const std::string& key, const std::string& column) {
  std::map<std::string, int64_t> values;
  for (const nlohmann::json& record : records) {
    values[record[key].get<std::string>()] = record[column].get<int64_t>();
  }
  return values;
}

class SharedKeysTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!CanLoadBpf()) return;
    dir_ = new TempDir;
    records_ = new Records(RunProbe(*dir_));
  }
  static void TearDownTestSuite() {
    delete records_;
    delete dir_;
  }
  void SetUp() override {
    if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
    ASSERT_NE(records_, nullptr);
  }

  // The records of the aggregation `name`, none when it printed none.
  static std::vector<nlohmann::json> Of(const std::string& name) {
    auto found = records_->find(name);
    return found == records_->end() ? std::vector<nlohmann::json>{} : found->second;
  }

  static TempDir* dir_;
  static Records* records_;
};

TempDir* SharedKeysTest::dir_ = nullptr;
Records* SharedKeysTest::records_ = nullptr;

TEST_F(SharedKeysTest, OnlyOneMapPerSite) {
  std::vector<std::string> names;
  for (const auto& [name, records] : *records_) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"count_by_op", "ids", "loop_ops", "names", "ops",
                                             "sum_n_by_op"}));
}

TEST_F(SharedKeysTest, DefCopiesShareMap) {
  std::map<std::string, int64_t> expected = {{"read", 1 * kCalls}, {"write", 2 * kCalls}};
  EXPECT_EQ(ByKey(Of("sum_n_by_op"), "op", "sum"), expected);
}

TEST_F(SharedKeysTest, LoopCopiesShareMap) {
  std::map<std::string, int64_t> expected = {{"a", kCalls}, {"bb", kCalls}};
  EXPECT_EQ(ByKey(Of("count_by_op"), "op", "count"), expected);
}

TEST_F(SharedKeysTest, LoopCopiesShareNamedMap) {
  std::map<std::string, int64_t> expected = {{"a", kCalls}, {"bb", kCalls}};
  EXPECT_EQ(ByKey(Of("loop_ops"), "op", "count"), expected);
}

TEST_F(SharedKeysTest, NamedSitesShareMap) {
  std::map<std::string, int64_t> expected = {{"read", kCalls}, {"write", kCalls}};
  EXPECT_EQ(ByKey(Of("ops"), "op", "count"), expected);
}

// A literal string[11] and the comm, a string[16], are one key when equal:
// the bytes after the literal's NUL are zero, as the comm's are.
TEST_F(SharedKeysTest, EqualStringsOfTwoCapacitiesAreOneKey) {
  std::map<std::string, int64_t> expected = {{kChildComm, 2 * kCalls}};
  EXPECT_EQ(ByKey(Of("names"), "name", "count"), expected);
}

// A u32 pid and the same pid as an i64 are one key of an i64 field.
TEST_F(SharedKeysTest, EqualIntsOfTwoWidthsAreOneKey) {
  std::vector<nlohmann::json> ids = Of("ids");
  ASSERT_EQ(ids.size(), 1u) << nlohmann::json(ids).dump();
  EXPECT_GT(ids[0]["id"].get<int64_t>(), 0);
  EXPECT_EQ(ids[0]["count"].get<int64_t>(), 2 * kCalls);
}

}  // namespace
}  // namespace nubpf::testing
