// Globals in `.data`, read back by nubpf-run at exit: from an object of
// nubpfc, and from an LLVM IR fixture whose `.nubpf` lines can be made
// wrong. The fixture is a getppid tracepoint that adds 1 to `calls` and
// sets `last_step` to 1500 ns, with the `.nubpf` lines that describe both.

#include <signal.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/llvm_ir.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

constexpr char kChildComm[] = "nubpf_globals";
constexpr int kCalls = 5;

// Assembles the fixture into `dir`, with `replace` swapped for `with` in
// its text first when given.
std::string AssembleGlobals(const TempDir& dir, const std::string& replace = "",
                            const std::string& with = "") {
  std::ifstream in(SourcePath("tests/e2e/fixtures/globals.ll"));
  std::stringstream text;
  text << in.rdbuf();
  std::string ir = text.str();
  if (!replace.empty()) {
    size_t at = ir.find(replace);
    EXPECT_NE(at, std::string::npos) << replace;
    if (at != std::string::npos) ir.replace(at, replace.size(), with);
  }
  std::string ir_path = dir.File("globals.ll");
  std::ofstream(ir_path) << ir;
  std::string object = dir.File("globals.bpf.o");
  EXPECT_EQ(AssembleBpfIr(ir_path, object), "");
  return object;
}

// Runs the object while the child calls getppid, and returns stdout.
std::string RunWithChild(const std::string& object, const std::vector<std::string>& flags,
                         std::string* error) {
  std::vector<std::string> argv = {NubpfRunPath(), object};
  argv.insert(argv.end(), flags.begin(), flags.end());
  Subprocess run(argv);
  if (!run.WaitForStderr("attached", seconds(20))) {
    *error = run.stderr_text();
    return "";
  }
  if (!CallGetppidAs(kChildComm, kCalls)) *error = "the child failed";
  if (run.Stop(SIGINT) != 0) *error = run.stderr_text();
  return run.ReadRemaining(seconds(5));
}

TEST(Globals, NubpfcGlobalsPrintAtExit) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string source = dir.File("sums.nu");
  std::string object = dir.File("sums.bpf.o");
  std::ofstream(source) << "mut calls = 0\n"
                           "mut waited = 0ns\n"
                           "mut seen = false\n"
                           "probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
                           "    if $e.comm == \"" << kChildComm << "\" {\n"
                           "        $calls += 1\n"
                           "        $waited += 10ns\n"
                           "        $seen = true\n"
                           "    }\n"
                           "}\n";
  ASSERT_EQ(Compile(source, object), "");

  std::string error;
  std::string output = RunWithChild(object, {"--format", "json"}, &error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(output,
            "{\"global\": \"calls\", \"value\": 5}\n"
            "{\"global\": \"waited\", \"value\": 50}\n"
            "{\"global\": \"seen\", \"value\": true}\n");

  output = RunWithChild(object, {}, &error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(output, "globals\ncalls   5\nwaited  50ns\nseen    true\n");
}

TEST(Globals, JsonShowsValuesAtExit) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string object = AssembleGlobals(dir);
  ASSERT_FALSE(HasFailure());

  std::string error;
  std::string output = RunWithChild(object, {"--format", "json"}, &error);
  ASSERT_EQ(error, "");
  std::istringstream lines(output);
  std::string calls_line;
  std::string step_line;
  ASSERT_TRUE(std::getline(lines, calls_line)) << output;
  ASSERT_TRUE(std::getline(lines, step_line)) << output;

  nlohmann::json calls = nlohmann::json::parse(calls_line);
  EXPECT_EQ(calls["global"], "calls");
  // Other processes on the machine call getppid too.
  EXPECT_GE(calls["value"].get<int64_t>(), kCalls) << calls_line;
  EXPECT_EQ(nlohmann::json::parse(step_line),
            nlohmann::json::parse(R"({"global": "last_step", "value": 1500})"));
}

TEST(Globals, TableListsEachGlobal) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string object = AssembleGlobals(dir);
  ASSERT_FALSE(HasFailure());

  std::string error;
  std::string output = RunWithChild(object, {}, &error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(output.rfind("globals\ncalls      ", 0), 0u) << output;
  EXPECT_NE(output.find("\nlast_step  1µs 500ns\n"), std::string::npos) << output;
}

TEST(Globals, OffsetOutsideDataIsAnError) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  // `calls` at offset 9 ends at byte 17 of the 16-byte `.data`.
  std::string object = AssembleGlobals(dir, "calls\\09i64\\090", "calls\\09i64\\099");
  ASSERT_FALSE(HasFailure());

  RunResult run = RunToExit({NubpfRunPath(), object, "--duration", "1"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("the metadata puts global `calls` at bytes 9..17 of `.data`, "
                         "which has 16 bytes"),
            std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace nubpf::testing
