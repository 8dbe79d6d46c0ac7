// uprobes, uretprobes and USDT probes on tests/programs/uprobe_target.c,
// whose main() calls nubpf_test_add(argc, 1) and fires its USDT probes once
// when it runs without `--code`. The loader finds a uprobe's symbol in the
// file when it attaches.

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/elf_sections.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

constexpr char kTarget[] = NUBPF_UPROBE_TARGET;

std::string CompileProbe(const TempDir& dir, const std::string& text) {
  std::string source = dir.File("uprobe.nu");
  std::string object = dir.File("uprobe.bpf.o");
  std::ofstream(source) << text;
  std::string error = Compile(source, object);
  EXPECT_EQ(error, "") << text;
  return object;
}

class Uprobes : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  }
};

TEST_F(Uprobes, ArgumentsAndReturnValue) {
  TempDir dir;
  std::string target(kTarget);
  std::string object = CompileProbe(
      dir, "probe uprobe:" + target + ":nubpf_test_add {|e|\n"
           "    emit {pid: $e.pid, a: $e.arg0, b: $e.arg1}\n"
           "}\n"
           "probe uretprobe:" + target + ":nubpf_test_add {|e|\n"
           "    emit {pid: $e.pid, sum: $e.retval}\n"
           "}\n");

  Subprocess run({NubpfRunPath(), object, "--format", "json"});
  ASSERT_TRUE(run.WaitForStderr("attached 2 probes", seconds(20)))
      << run.stderr_text();

  // Six arguments make argc 7, so the call is nubpf_test_add(7, 1).
  Subprocess program({target, "a", "b", "c", "d", "e", "f"});
  program.ReadRemaining(seconds(10));
  ASSERT_EQ(program.Stop(0), 0);

  std::optional<std::string> entry = run.ReadLine(seconds(10));
  std::optional<std::string> exit = run.ReadLine(seconds(10));
  EXPECT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();
  ASSERT_TRUE(entry.has_value()) << run.stderr_text();
  ASSERT_TRUE(exit.has_value()) << run.stderr_text();

  nlohmann::json call = nlohmann::json::parse(*entry);
  EXPECT_EQ(call["pid"], program.pid());
  EXPECT_EQ(call["a"], 7);
  EXPECT_EQ(call["b"], 1);
  nlohmann::json result = nlohmann::json::parse(*exit);
  EXPECT_EQ(result["pid"], program.pid());
  EXPECT_EQ(result["sum"], 8);
}

// Runs the target with `arguments` while nubpf-run runs `object`, and
// returns the first `count` JSON records.
std::vector<nlohmann::json> RecordsOfRun(const std::string& object,
                                         const std::vector<std::string>& arguments,
                                         size_t count, int* program_pid) {
  std::vector<nlohmann::json> records;
  Subprocess run({NubpfRunPath(), object, "--format", "json"});
  EXPECT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();

  std::vector<std::string> argv = {kTarget};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  Subprocess program(argv);
  program.ReadRemaining(seconds(10));
  EXPECT_EQ(program.Stop(0), 0);
  *program_pid = program.pid();

  while (records.size() < count) {
    std::optional<std::string> line = run.ReadLine(seconds(10));
    if (!line) break;
    records.push_back(nlohmann::json::parse(*line));
  }
  EXPECT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();
  return records;
}

// `nubpf_test:with_semaphore` fires only while its semaphore is above 0.
// The kernel raises the semaphore while a uprobe with that semaphore is
// attached.
// The probe is a file offset with no symbol, as every USDT probe is.
TEST_F(Uprobes, UsdtProbeWithSemaphore) {
  TempDir dir;
  std::string object = CompileProbe(
      dir, "probe usdt:" + std::string(kTarget) + ":nubpf_test:with_semaphore {|e|\n"
           "    emit {pid: $e.pid, number: $e.arg0}\n"
           "}\n");
  std::string metadata = ReadElfSections(object)[".nubpf"];
  EXPECT_NE(metadata.find("\tuprobe\t" + std::string(kTarget) + "\t-\t"),
            std::string::npos)
      << metadata;

  // Two arguments make argc 3, the number the probe passes.
  int pid = 0;
  std::vector<nlohmann::json> records = RecordsOfRun(object, {"a", "b"}, 1, &pid);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0]["pid"], pid);
  EXPECT_EQ(records[0]["number"], 3);
}

TEST_F(Uprobes, UsdtConstantArguments) {
  TempDir dir;
  std::string object = CompileProbe(
      dir, "probe usdt:" + std::string(kTarget) + ":nubpf_test:constants {|e|\n"
           "    emit {pid: $e.pid, first: $e.arg0, second: $e.arg1}\n"
           "}\n");

  int pid = 0;
  std::vector<nlohmann::json> records = RecordsOfRun(object, {}, 1, &pid);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0]["pid"], pid);
  EXPECT_EQ(records[0]["first"], 42);
  EXPECT_EQ(records[0]["second"], -7);
}

// `nubpf_test:registers` passes `-4@%edi 8@%rsi -2@%dx 1@%cl 4@%r8d`: argc,
// argc * 3, argc - 1, argc and argc + 9, each read from its register and
// cut to its size.
TEST_F(Uprobes, UsdtRegisterArguments) {
  TempDir dir;
  std::string object = CompileProbe(
      dir, "probe usdt:" + std::string(kTarget) + ":nubpf_test:registers {|e|\n"
           "    emit {a: $e.arg0, b: $e.arg1, c: $e.arg2, d: $e.arg3, e: $e.arg4}\n"
           "}\n");

  int pid = 0;
  std::vector<nlohmann::json> records = RecordsOfRun(object, {}, 1, &pid);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0]["a"], 1);
  EXPECT_EQ(records[0]["b"], 3);
  EXPECT_EQ(records[0]["c"], 0);
  EXPECT_EQ(records[0]["d"], 1);
  EXPECT_EQ(records[0]["e"], 10);
}

// `nubpf_test:memory` passes `-4@8(%rbx) 8@-16(%r12) 2@(%rbx)` for the
// record {first: 1, second: 2, third: 3}: second, first, and the low two
// bytes of first, read from the program's memory.
TEST_F(Uprobes, UsdtMemoryArguments) {
  TempDir dir;
  std::string object = CompileProbe(
      dir, "probe usdt:" + std::string(kTarget) + ":nubpf_test:memory {|e|\n"
           "    emit {second: $e.arg0, first: $e.arg1, low: $e.arg2}\n"
           "}\n");

  int pid = 0;
  std::vector<nlohmann::json> records = RecordsOfRun(object, {}, 1, &pid);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0]["second"], 2);
  EXPECT_EQ(records[0]["first"], 1);
  EXPECT_EQ(records[0]["low"], 1);
}

// The object names a file that is gone when nubpf-run starts.
TEST_F(Uprobes, MissingFileIsNamed) {
  TempDir dir;
  std::string copy = dir.File("target");
  std::filesystem::copy_file(kTarget, copy);
  std::string object = CompileProbe(
      dir, "probe uprobe:" + copy + ":nubpf_test_add {|e| count }\n");
  std::filesystem::remove(copy);

  RunResult result = RunToExit({NubpfRunPath(), object, "--duration", "1s"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("cannot attach program `nubpf_test_add` (the probe "
                            "at " + dir.File("uprobe.nu") + ":1:1): file `" +
                            copy + "` not found"),
            std::string::npos)
      << result.err;
}

// The file at the object's path is another program now, without the
// function the probe names.
TEST_F(Uprobes, MissingSymbolIsNamed) {
  TempDir dir;
  std::string copy = dir.File("target");
  std::filesystem::copy_file(kTarget, copy);
  std::string object = CompileProbe(
      dir, "probe uretprobe:" + copy + ":nubpf_test_add {|e| count }\n");
  std::filesystem::copy_file("/bin/true", copy,
                             std::filesystem::copy_options::overwrite_existing);

  RunResult result = RunToExit({NubpfRunPath(), object, "--duration", "1s"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("cannot attach program `nubpf_test_add`"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("symbol `nubpf_test_add` not found in `" + copy + "`"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("help: list the functions the file defines"),
            std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace nubpf::testing
