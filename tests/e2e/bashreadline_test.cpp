// bashreadline against the kernel: an interactive bash, on a terminal that
// script(1) gives it, reads a command line with readline, and the line
// shows up with the string that readline returned.

#include <unistd.h>

#include <chrono>
#include <optional>

#include "gtest/gtest.h"
#include "tests/support/sample_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr char kScript[] = "/usr/bin/script";

TEST(Bashreadline, ReportsCommandLine) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  // bash uses readline only when its input is a terminal.
  if (access(kScript, X_OK) != 0) GTEST_SKIP() << kScript << " is missing";
  if (access("/bin/bash", X_OK) != 0) GTEST_SKIP() << "/bin/bash is missing";

  std::string line = "echo nubpf-readline-" + std::to_string(getpid());
  // An empty HISTFILE keeps the shell from writing a history file.
  std::string shell = "printf '%s\\nexit\\n' '" + line + "' | HISTFILE= " + kScript +
                      " -qc 'bash --norc --noprofile -i' /dev/null";
  auto run_shell = [&] {
    RunResult result = RunToExit({"/bin/sh", "-c", shell}, std::chrono::seconds(20));
    return result.exit_code == 0;
  };
  SampleRun run = RunSample("bashreadline", {"--format", "json"}, run_shell);
  ASSERT_EQ(run.error, "");

  std::string error;
  std::vector<nlohmann::json> lines = EventRecords(run.output, &error);
  ASSERT_EQ(error, "");
  std::optional<nlohmann::json> found;
  for (const nlohmann::json& event : lines) {
    if (event.at("line") == line) found = event;
  }
  ASSERT_TRUE(found) << run.output;
  EXPECT_GT(found->at("pid").get<int64_t>(), 0) << *found;
  EXPECT_NE(found->at("pid"), getpid()) << *found;
}

}  // namespace
}  // namespace nubpf::testing
