// String equality against the kernel: a probe fires for the exact file name
// and not for a longer name that starts with it.

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

void Touch(const std::string& path) {
  int fd = open(path.c_str(), O_CREAT | O_RDONLY, 0600);
  ASSERT_GE(fd, 0) << path;
  close(fd);
}

TEST(StringEquality, MatchesExactNameNotLonger) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string target = dir.File("target");
  std::string longer = dir.File("target-long");

  // Room for the literal, its NUL and one more byte, so `longer` is read as
  // far as its `-`. A capacity that is not a multiple of 8 makes the last
  // bytes compare one by one.
  size_t capacity = target.size() + 2;
  if (capacity % 8 == 0) ++capacity;

  std::string source = dir.File("equal.nu");
  std::ofstream(source) << "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
                           "    if $e.filename == \"" << target
                        << "\" and $e.comm == \"e2e_tests\" {\n"
                           "        emit {file: $e.filename}\n"
                           "    }\n"
                           "}\n";
  std::string object = dir.File("equal.bpf.o");
  RunResult compiled = RunToExit({NubpfcPath(), source, "--max-strlen",
                                  std::to_string(capacity), "-o", object});
  ASSERT_EQ(compiled.exit_code, 0) << compiled.err;

  Subprocess run({NubpfRunPath(), object, "--format", "json"});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  Touch(longer);
  Touch(target);
  EXPECT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();

  std::string output = run.ReadRemaining(seconds(5));
  EXPECT_EQ(output, "{\"file\": \"" + target + "\"}\n");
}

}  // namespace
}  // namespace nubpf::testing
