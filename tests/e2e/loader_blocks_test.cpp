// `begin` and `end` blocks, which nubpf-run runs itself: `begin` once
// before any probe is attached, `end` once after every probe is detached,
// whatever ends the run. So what `begin` sends comes first and what `end`
// sends comes last.

#include <signal.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

constexpr char kChildComm[] = "nbf-blocks";

// Writes `text` to a probe file in `dir` and compiles it; returns the
// object's path.
std::string CompileProbe(const TempDir& dir, const std::string& text) {
  std::string source = dir.File("blocks.nu");
  std::string object = dir.File("blocks.bpf.o");
  std::ofstream(source) << text;
  std::string error = Compile(source, object);
  EXPECT_EQ(error, "") << text;
  return object;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

class LoaderBlocks : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  }
};

TEST_F(LoaderBlocks, BeginFirstEndLast) {
  TempDir dir;
  std::string object = CompileProbe(
      dir,
      "probe begin {|| emit {phase: \"begin\"} }\n"
      "probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
      "    if $e.comm == \"" + std::string(kChildComm) + "\" {\n"
      "        emit {phase: \"event\"}\n"
      "        count\n"
      "    }\n"
      "}\n"
      "probe end {|| emit {phase: \"end\"} }\n");

  Subprocess run({NubpfRunPath(), object, "--format", "json"});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  ASSERT_TRUE(CallGetppidAs(kChildComm, /*times=*/3));

  // The begin record and the three events arrive while the run goes on.
  std::vector<std::string> lines;
  while (lines.size() < 4) {
    std::optional<std::string> line = run.ReadLine(seconds(10));
    if (!line) break;
    lines.push_back(*line);
  }
  EXPECT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();
  for (const std::string& line : SplitLines(run.ReadRemaining(seconds(10)))) {
    lines.push_back(line);
  }

  ASSERT_EQ(lines.size(), 6u) << run.stderr_text();
  EXPECT_EQ(nlohmann::json::parse(lines[0])["phase"], "begin");
  for (size_t i = 1; i <= 3; ++i) {
    EXPECT_EQ(nlohmann::json::parse(lines[i])["phase"], "event") << lines[i];
  }
  EXPECT_EQ(nlohmann::json::parse(lines[4])["phase"], "end");
  // The counters print after the last record, the end block's.
  nlohmann::json counter = nlohmann::json::parse(lines[5]);
  EXPECT_EQ(counter["aggregation"], "count");
  EXPECT_EQ(counter["count"], 3);
}

TEST_F(LoaderBlocks, EndRunsAfterDuration) {
  TempDir dir;
  std::string object = CompileProbe(dir,
                                    "probe begin {|| print \"first\" }\n"
                                    "probe end {|| print \"last\" }\n");

  RunResult result = RunToExit({NubpfRunPath(), object, "--duration", "300ms"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "first\nlast\n") << result.err;
}

TEST_F(LoaderBlocks, EndRunsOnSigterm) {
  TempDir dir;
  std::string object = CompileProbe(dir,
                                    "probe begin {|| print \"first\" }\n"
                                    "probe end {|| print \"last\" }\n");

  Subprocess run({NubpfRunPath(), object});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  ASSERT_EQ(run.ReadLine(seconds(10)), "first");
  EXPECT_EQ(run.Stop(SIGTERM), 0) << run.stderr_text();
  EXPECT_EQ(run.ReadRemaining(seconds(10)), "last\n");
}

// A begin block's values are the loader's own: it runs in nubpf-run's
// process, on the CPU that loads the object.
TEST_F(LoaderBlocks, BeginRunsInTheLoader) {
  TempDir dir;
  std::string object =
      CompileProbe(dir, "probe begin {|e| emit {pid: $e.pid, comm: $e.comm} }\n");

  Subprocess run({NubpfRunPath(), object, "--format", "json"});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  std::optional<std::string> line = run.ReadLine(seconds(10));
  ASSERT_TRUE(line.has_value()) << run.stderr_text();
  nlohmann::json record = nlohmann::json::parse(*line);
  EXPECT_EQ(record["pid"], run.pid());
  EXPECT_EQ(record["comm"], "nubpf-run");
  EXPECT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();
}

TEST_F(LoaderBlocks, AttachedCountLeavesBlocksOut) {
  TempDir dir;
  std::string object = CompileProbe(dir,
                                    "probe begin {|| count }\n"
                                    "probe interval:s:1 {|| count }\n"
                                    "probe end {|| count }\n");

  RunResult result = RunToExit({NubpfRunPath(), object, "--duration", "100ms"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("attached 1 probe;"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace nubpf::testing
