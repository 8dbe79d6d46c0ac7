// Arrays of integers in tracepoint records read as lists: a child named
// nubpf_arrays calls getppid(2) through syscall(2) with six arguments,
// which getppid ignores and `raw_syscalls:sys_enter` records in `args`.

#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/sample_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr char kProbe[] = R"(
probe tracepoint:raw_syscalls:sys_enter {|e|
    if $e.comm == "nubpf_arrays" and $e.id == 110 {
        emit {
            first: $e.args.0,
            sixth: $e.args.5,
            last: ($e.args | last),
            length: ($e.args | length),
        }
    }
}
)";

bool CallWithArguments() {
  pid_t child = fork();
  if (child == 0) {
    prctl(PR_SET_NAME, "nubpf_arrays");
    syscall(SYS_getppid, 11, 22, 33, 44, 55, 66);
    _exit(0);
  }
  int status = 0;
  return child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0;
}

TEST(TracepointArrays, SyscallArgumentsAsList) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  static_assert(SYS_getppid == 110, "the probe names getppid by its x86-64 number");
  TempDir dir;
  std::string source = dir.File("arrays.nu");
  std::ofstream(source) << kProbe;
  SampleRun run = RunProbeFile(source, {"--format", "json"}, CallWithArguments);
  ASSERT_EQ(run.error, "");

  std::string error;
  std::vector<nlohmann::json> events = EventRecords(run.output, &error);
  ASSERT_EQ(error, "");
  ASSERT_EQ(events.size(), 1u) << run.output;
  EXPECT_EQ(events[0].at("first"), 11);
  EXPECT_EQ(events[0].at("sixth"), 66);
  EXPECT_EQ(events[0].at("last"), 66);
  EXPECT_EQ(events[0].at("length"), 6);
}

}  // namespace
}  // namespace nubpf::testing
