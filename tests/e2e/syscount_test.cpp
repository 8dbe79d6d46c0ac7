// syscount against the kernel: a child with a known comm makes a known
// number of system calls, and the count printed for that comm is at least
// that number.

#include <signal.h>

#include <chrono>

#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

constexpr int kSyscalls = 5000;
constexpr char kChildComm[] = "nubpf_syscnt";

// Returns the number after `"count": ` in `line`, or -1.
long long CountIn(const std::string& line) {
  size_t at = line.find("\"count\": ");
  if (at == std::string::npos) return -1;
  return std::stoll(line.substr(at + 9));
}

TEST(Syscount, CountsChildSyscallsByComm) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string object = dir.File("syscount.bpf.o");
  ASSERT_EQ(Compile(SourcePath("samples/syscount.nu"), object), "");

  Subprocess run({NubpfRunPath(), object, "--format", "json"});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  ASSERT_TRUE(CallGetppidAs(kChildComm, kSyscalls));
  ASSERT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();

  std::string output = run.ReadRemaining(seconds(5));
  std::string key = std::string("\"comm\": \"") + kChildComm + "\"";
  size_t at = output.find(key);
  ASSERT_NE(at, std::string::npos) << output;
  size_t line_start = output.rfind('\n', at) + 1;
  std::string line = output.substr(line_start, output.find('\n', at) - line_start);

  EXPECT_NE(line.find("\"counter\": \"count_by_comm\""), std::string::npos) << line;
  EXPECT_GE(CountIn(line), kSyscalls) << line;
}

TEST(Syscount, PrintsTableAtExit) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string object = dir.File("syscount.bpf.o");
  ASSERT_EQ(Compile(SourcePath("samples/syscount.nu"), object), "");

  Subprocess run({NubpfRunPath(), object});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  ASSERT_TRUE(CallGetppidAs(kChildComm, kSyscalls));
  ASSERT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();

  std::string output = run.ReadRemaining(seconds(5));
  EXPECT_NE(output.find("count_by_comm"), std::string::npos) << output;
  EXPECT_NE(output.find(kChildComm), std::string::npos) << output;
}

}  // namespace
}  // namespace nubpf::testing
