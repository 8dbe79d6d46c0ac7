// Strings that do not fit the 512-byte BPF stack go through the per-CPU
// scratch area, and the programs still pass the verifier.

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

TEST(LongStrings, ThreeStringsInOneEvent) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  // A path of about 190 bytes, so each string nearly fills its 200 bytes.
  std::string target = dir.File(std::string(190 - dir.File("").size(), 'x'));

  std::string source = dir.File("long.nu");
  std::ofstream(source) << "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
                           "    if $e.comm == \"e2e_tests\" and ($e.filename | str ends-with \"xxxx\") {\n"
                           "        emit {a: $e.filename, b: ($e.filename | str upcase), "
                           "c: ($e.filename | str substring 1..)}\n"
                           "    }\n"
                           "}\n";
  std::string object = dir.File("long.bpf.o");
  RunResult compiled =
      RunToExit({NubpfcPath(), source, "--max-strlen", "200", "-o", object});
  ASSERT_EQ(compiled.exit_code, 0) << compiled.err;

  Subprocess run({NubpfRunPath(), object, "--format", "json"});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  int fd = open(target.c_str(), O_CREAT | O_RDONLY, 0600);
  ASSERT_GE(fd, 0) << target;
  close(fd);
  std::optional<std::string> line = run.ReadLine(seconds(10));
  ASSERT_TRUE(line.has_value()) << run.stderr_text();
  EXPECT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();

  nlohmann::json event = nlohmann::json::parse(*line);
  std::string upper = target;
  for (char& c : upper) c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(event["a"], target);
  EXPECT_EQ(event["b"], upper);
  EXPECT_EQ(event["c"], target.substr(1));
}

// Twenty comparisons with 50-byte literals would need 1280 bytes of stack
// slots; past the budget for string slots they use the scratch area.
TEST(LongStrings, ManyShortStringsFitStack) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string source = dir.File("many.nu");
  std::ofstream file(source);
  file << "probe tracepoint:syscalls:sys_enter_openat {|e|\n";
  for (int i = 0; i < 20; ++i) {
    file << "    if $e.filename == \"/" << std::string(50, 'x') << i << "\" { count }\n";
  }
  file << "}\n";
  file.close();

  for (const char* level : {"0", "2"}) {
    std::string object = dir.File(std::string("many-O") + level + ".bpf.o");
    RunResult compiled = RunToExit({NubpfcPath(), source, "-O", level, "-o", object});
    ASSERT_EQ(compiled.exit_code, 0) << "-O" << level << ": " << compiled.err;
    RunResult result = RunToExit({NubpfRunPath(), object, "--duration", "100ms"});
    EXPECT_EQ(result.exit_code, 0) << "-O" << level << ": " << result.err;
  }
}

// Ten 4096-byte count keys need 40 KiB of scratch memory, more than a
// per-CPU map value holds, which nubpfc reports instead of libbpf.
TEST(LongStrings, ScratchLimitIsAnError) {
  TempDir dir;
  std::string source = dir.File("keys.nu");
  std::ofstream file(source);
  file << "probe tracepoint:syscalls:sys_enter_openat {|e|\n";
  for (int i = 0; i < 10; ++i) file << "    $e.filename | count\n";
  file << "}\n";
  file.close();

  RunResult compiled = RunToExit(
      {NubpfcPath(), source, "--max-strlen", "4096", "-o", dir.File("keys.bpf.o")});
  EXPECT_EQ(compiled.exit_code, 1) << compiled.err;
  EXPECT_NE(compiled.err.find("need 40960 bytes of scratch memory, more than the 32768"),
            std::string::npos)
      << compiled.err;
  EXPECT_EQ(compiled.err.find("bug in nubpfc"), std::string::npos) << compiled.err;
}

// Each byte a string command scans is a jump the verifier follows, and it
// stops at 8192 on one path: two case changes of a 4096-byte string pass
// that, which nubpfc reports at the second command.
TEST(LongStrings, JumpLimitIsAnError) {
  TempDir dir;
  std::string source = dir.File("case.nu");
  std::ofstream(source) << "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
                           "    emit {a: ($e.filename | str upcase), b: ($e.filename | str downcase)}\n"
                           "}\n";
  RunResult compiled = RunToExit(
      {NubpfcPath(), source, "--max-strlen", "4096", "-o", dir.File("case.bpf.o")});
  EXPECT_EQ(compiled.exit_code, 1) << compiled.err;
  EXPECT_NE(compiled.err.find("case.nu:2:60: error: the string commands up to here scan "
                              "about 8196 bytes in all"),
            std::string::npos)
      << compiled.err;
}

}  // namespace
}  // namespace nubpf::testing
