// `tp_btf:sched_process_exec` and `raw_tracepoint:sched_process_exec` for
// a child that runs tests/programs/uprobe_target.c. The tracepoint fires
// after the new program's name is set, so the probe reads the comm
// `uprobe_target` and the child's pid.

#include <signal.h>

#include <chrono>
#include <fstream>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

constexpr char kTarget[] = NUBPF_UPROBE_TARGET;

// Compiles `text`, starts nubpf-run on it, runs the target program once
// and returns the first JSON record, or an empty object when none came.
nlohmann::json RecordOfExec(const std::string& text) {
  TempDir dir;
  std::string source = dir.File("exec.nu");
  std::string object = dir.File("exec.bpf.o");
  std::ofstream(source) << text;
  std::string error = Compile(source, object);
  EXPECT_EQ(error, "") << text;
  if (!error.empty()) return nlohmann::json::object();

  Subprocess run({NubpfRunPath(), object, "--format", "json"});
  EXPECT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  Subprocess program({kTarget});
  program.ReadRemaining(seconds(10));
  EXPECT_EQ(program.Stop(0), 0);

  std::optional<std::string> line = run.ReadLine(seconds(10));
  EXPECT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();
  EXPECT_TRUE(line.has_value()) << run.stderr_text();
  if (!line) return nlohmann::json::object();

  nlohmann::json record = nlohmann::json::parse(*line);
  record["expected_pid"] = program.pid();
  return record;
}

class ExecTracepoints : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  }
};

TEST_F(ExecTracepoints, TpBtfSeesChildExec) {
  nlohmann::json record = RecordOfExec(
      "probe tp_btf:sched_process_exec {|e|\n"
      "    if $e.comm == \"uprobe_target\" { emit {pid: $e.pid, old_pid: $e.old_pid} }\n"
      "}\n");
  ASSERT_TRUE(record.contains("pid")) << record.dump();
  EXPECT_EQ(record["pid"], record["expected_pid"]);
  // A single-threaded process keeps its pid through exec.
  EXPECT_EQ(record["old_pid"], record["expected_pid"]);
}

TEST_F(ExecTracepoints, RawTracepointSeesChildExec) {
  // The second argument of sched_process_exec is old_pid.
  nlohmann::json record = RecordOfExec(
      "probe raw_tracepoint:sched_process_exec {|e|\n"
      "    if $e.comm == \"uprobe_target\" { emit {pid: $e.pid, old_pid: $e.arg1} }\n"
      "}\n");
  ASSERT_TRUE(record.contains("pid")) << record.dump();
  EXPECT_EQ(record["pid"], record["expected_pid"]);
  EXPECT_EQ(record["old_pid"], record["expected_pid"]);
}

}  // namespace
}  // namespace nubpf::testing
