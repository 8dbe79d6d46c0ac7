// nubpf-run stops on time under a flood of events, here the events its own
// writes to standard output cause: each line it prints is a write(2) that
// the probe reports.

#include <signal.h>

#include <chrono>
#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

std::string CompileWriteProbe(TempDir& dir) {
  std::string source = dir.File("writes.nu");
  std::ofstream(source) << "probe tracepoint:syscalls:sys_enter_write {|e|\n"
                           "    emit {pid: $e.pid, bytes: $e.count}\n"
                           "}\n";
  std::string object = dir.File("writes.bpf.o");
  EXPECT_EQ(Compile(source, object), "");
  return object;
}

TEST(Flood, StopsAfterDuration) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string object = CompileWriteProbe(dir);

  Subprocess run({NubpfRunPath(), object, "--duration", "300ms"});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  // The output ends when nubpf-run exits; SIGKILL ends it if it did not.
  run.ReadRemaining(seconds(30));
  EXPECT_EQ(run.Stop(SIGKILL), 0) << "nubpf-run did not stop by itself";
}

TEST(Flood, StopsOnSigterm) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string object = CompileWriteProbe(dir);

  Subprocess run({NubpfRunPath(), object});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  ASSERT_TRUE(run.ReadLine(seconds(10)).has_value());
  ASSERT_EQ(kill(run.pid(), SIGTERM), 0);
  run.ReadRemaining(seconds(30));
  EXPECT_EQ(run.Stop(SIGKILL), 0) << "nubpf-run did not stop on SIGTERM";
}

}  // namespace
}  // namespace nubpf::testing
