// opensnoop against the kernel: a file this test opens shows up as an event
// with this process's pid.

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>

#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(Opensnoop, ReportsOwnOpenAsJson) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string object = dir.File("opensnoop.bpf.o");
  ASSERT_EQ(Compile(SourcePath("samples/opensnoop.nu"), object), "");

  Subprocess run({NubpfRunPath(), object, "--format", "json"});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();

  std::string unique_name = dir.File("opened-by-test-" + std::to_string(getpid()));
  int fd = open(unique_name.c_str(), O_CREAT | O_RDONLY, 0600);
  ASSERT_GE(fd, 0);
  close(fd);

  std::string expected_file = "\"file\": \"" + unique_name + "\"";
  std::string expected_pid = "\"pid\": " + std::to_string(getpid()) + ",";
  std::string found;
  auto deadline = std::chrono::steady_clock::now() + seconds(10);
  while (found.empty() && std::chrono::steady_clock::now() < deadline) {
    std::optional<std::string> line = run.ReadLine(milliseconds(500));
    if (line && line->find(expected_file) != std::string::npos) found = *line;
  }
  ASSERT_FALSE(found.empty()) << "no event for " << unique_name;
  EXPECT_NE(found.find(expected_pid), std::string::npos) << found;
  EXPECT_NE(found.find("\"comm\": \"e2e_tests\""), std::string::npos) << found;
  EXPECT_EQ(found.front(), '{');
  EXPECT_EQ(found.back(), '}');

  EXPECT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();
}

TEST(Opensnoop, StopsAfterDuration) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string object = dir.File("opensnoop.bpf.o");
  ASSERT_EQ(Compile(SourcePath("samples/opensnoop.nu"), object), "");

  auto start = std::chrono::steady_clock::now();
  Subprocess run({NubpfRunPath(), object, "--duration", "1sec"});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  std::string opened = dir.File("opened-while-tracing");
  int fd = open(opened.c_str(), O_CREAT | O_RDONLY, 0600);
  ASSERT_GE(fd, 0);
  close(fd);

  // The table ends when nubpf-run exits by itself and closes its output.
  std::string table = run.ReadRemaining(seconds(30));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(run.Stop(0), 0) << run.stderr_text();
  EXPECT_NE(table.find("comm"), std::string::npos) << table;
  EXPECT_NE(table.find(opened), std::string::npos) << table;
  EXPECT_LT(elapsed, seconds(30));
}

TEST(Opensnoop, StopsOnSigterm) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string object = dir.File("opensnoop.bpf.o");
  ASSERT_EQ(Compile(SourcePath("samples/opensnoop.nu"), object), "");

  Subprocess run({NubpfRunPath(), object});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  EXPECT_EQ(run.Stop(SIGTERM), 0) << run.stderr_text();
}

}  // namespace
}  // namespace nubpf::testing
