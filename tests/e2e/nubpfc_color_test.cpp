// nubpfc colours its diagnostics on a terminal unless NO_COLOR is set to a
// non-empty value, and `--color always|never` overrides both.

#include <fcntl.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

// A parse error with a help line: nubpfc reports it without reading tracefs.
constexpr char kBadProbe[] = "probe tracepoint:a:b {|e| teleport() }\n";
constexpr char kRedError[] = "\x1b[1;31merror\x1b[0m";
constexpr char kCyanHelp[] = "\x1b[1;36mhelp\x1b[0m";

// Runs `argv` on a new pseudo-terminal and returns what it printed there,
// stdout and stderr together.
std::string RunOnTerminal(const std::vector<std::string>& argv) {
  int terminal = -1;
  pid_t pid = forkpty(&terminal, nullptr, nullptr, nullptr);
  if (pid < 0) return "forkpty failed";
  if (pid == 0) {
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }

  // Reading the terminal fails with EIO once the child has closed its side.
  std::string output;
  char chunk[4096];
  ssize_t count;
  while ((count = read(terminal, chunk, sizeof(chunk))) > 0)
    output.append(chunk, count);
  close(terminal);
  waitpid(pid, nullptr, 0);
  return output;
}

class NubpfcColor : public ::testing::Test {
 protected:
  void SetUp() override { std::ofstream(source_) << kBadProbe; }

  // nubpfc on the bad probe through env(1), which sets or clears NO_COLOR.
  std::vector<std::string> Command(const std::string& no_color,
                                   const std::vector<std::string>& flags) {
    std::vector<std::string> argv{"/usr/bin/env"};
    if (no_color.empty()) {
      argv.push_back("-u");
      argv.push_back("NO_COLOR");
    } else {
      argv.push_back("NO_COLOR=" + no_color);
    }
    argv.push_back(NubpfcPath());
    argv.push_back(source_);
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.push_back("-o");
    argv.push_back(dir_.File("probe.bpf.o"));
    return argv;
  }

  TempDir dir_;
  std::string source_ = dir_.File("probe.nu");
};

TEST_F(NubpfcColor, AlwaysOverridesNoColor) {
  RunResult result = RunToExit(Command("1", {"--color", "always"}));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(kRedError), std::string::npos) << result.err;
  EXPECT_NE(result.err.find(kCyanHelp), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("\x1b[1;31m^\x1b[0m"), std::string::npos) << result.err;
}

TEST_F(NubpfcColor, NoColorKeepsTerminalPlain) {
  std::string output = RunOnTerminal(Command("1", {}));
  EXPECT_NE(output.find("error: unexpected `(`"), std::string::npos) << output;
  EXPECT_EQ(output.find('\x1b'), std::string::npos) << output;
}

TEST_F(NubpfcColor, TerminalGetsColorByDefault) {
  std::string output = RunOnTerminal(Command("", {}));
  EXPECT_NE(output.find(kRedError), std::string::npos) << output;
}

TEST_F(NubpfcColor, EmptyNoColorKeepsColor) {
  std::string with_empty = RunOnTerminal(
      {"/usr/bin/env", "NO_COLOR=", NubpfcPath(), source_, "-o", dir_.File("x.o")});
  EXPECT_NE(with_empty.find(kRedError), std::string::npos) << with_empty;
}

TEST_F(NubpfcColor, NeverKeepsTerminalPlain) {
  std::string output = RunOnTerminal(Command("", {"--color", "never"}));
  EXPECT_NE(output.find("error: unexpected `(`"), std::string::npos) << output;
  EXPECT_EQ(output.find('\x1b'), std::string::npos) << output;
}

TEST_F(NubpfcColor, PipeIsPlainByDefault) {
  RunResult result = RunToExit(Command("", {}));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("error: unexpected `(`"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find('\x1b'), std::string::npos) << result.err;
}

TEST_F(NubpfcColor, RejectsUnknownMode) {
  RunResult result = RunToExit(Command("", {"--color", "rainbow"}));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("rainbow"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace nubpf::testing
