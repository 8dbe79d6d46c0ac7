// RunInChildProcess: the step's result comes back from the child, and a
// child that dies becomes an internal error instead of taking the caller
// down with it.

#include "backend/child_process.h"

#include <unistd.h>

#include <csignal>
#include <string>

#include "gtest/gtest.h"

namespace nubpf::backend {
namespace {

TEST(ChildProcess, ReturnsOutput) {
  std::string output;
  std::string error;
  bool ok = RunInChildProcess(
      [](std::string* step_output, std::string*) {
        *step_output = std::string("object\0bytes", 12);
        return true;
      },
      &output, &error);
  EXPECT_TRUE(ok);
  EXPECT_EQ(output, std::string("object\0bytes", 12));
  EXPECT_EQ(error, "");
}

TEST(ChildProcess, ReturnsStepError) {
  std::string output;
  std::string error;
  bool ok = RunInChildProcess(
      [](std::string*, std::string* step_error) {
        *step_error = "the program needs 600 bytes of stack";
        return false;
      },
      &output, &error);
  EXPECT_FALSE(ok);
  EXPECT_EQ(error, "the program needs 600 bytes of stack");
}

// A megabyte is more than a pipe buffer takes, so the parent must read while the
// child writes.
TEST(ChildProcess, ReturnsLargeOutput) {
  std::string output;
  std::string error;
  bool ok = RunInChildProcess(
      [](std::string* step_output, std::string*) {
        step_output->assign(1 << 20, 'x');
        return true;
      },
      &output, &error);
  EXPECT_TRUE(ok);
  EXPECT_EQ(output.size(), size_t{1} << 20);
}

TEST(ChildProcess, ExitBecomesInternalError) {
  std::string output;
  std::string error;
  bool ok = RunInChildProcess(
      [](std::string*, std::string*) -> bool { _exit(1); }, &output, &error);
  EXPECT_FALSE(ok);
  EXPECT_EQ(error,
            "internal error: the process that generates code with LLVM exited with "
            "status 1 before it finished");
}

TEST(ChildProcess, SignalBecomesInternalError) {
  std::string output;
  std::string error;
  bool ok = RunInChildProcess(
      [](std::string*, std::string*) -> bool {
        raise(SIGKILL);
        return true;
      },
      &output, &error);
  EXPECT_FALSE(ok);
  EXPECT_NE(error.find("was killed by signal 9"), std::string::npos) << error;
}

}  // namespace
}  // namespace nubpf::backend
