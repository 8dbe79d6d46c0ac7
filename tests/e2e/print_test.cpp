// `print` in a probe: the probe sends the values, and nubpf-run formats the
// line. A child process with a known name triggers the probe.

#include <signal.h>

#include <chrono>
#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/nushell.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

constexpr char kChildComm[] = "nubpf-print";

// Compiles `body` into a probe on getppid that runs for the child only,
// triggers it once and returns the first `lines` lines nubpf-run prints.
std::vector<std::string> RunPrint(const std::string& body,
                                  const std::string& format, size_t lines) {
  std::vector<std::string> printed;
  TempDir dir;
  std::string source = dir.File("print.nu");
  std::string object = dir.File("print.bpf.o");
  std::ofstream(source) << "probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
                           "    if $e.comm == \""
                        << kChildComm << "\" {\n        " << body
                        << "\n    }\n}\n";
  std::string error = Compile(source, object);
  EXPECT_EQ(error, "");
  if (!error.empty()) return printed;

  Subprocess run({NubpfRunPath(), object, "--format", format});
  EXPECT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  EXPECT_TRUE(CallGetppidAs(kChildComm));
  while (printed.size() < lines) {
    std::optional<std::string> line = run.ReadLine(seconds(10));
    if (!line) break;
    printed.push_back(*line);
  }
  EXPECT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();
  return printed;
}

TEST(Print, FormatsValuesInTheLoader) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  std::vector<std::string> lines =
      RunPrint("print \"comm:\" ($e.comm | str upcase) ($e.comm | str length)",
               "table", 3);
  EXPECT_EQ(lines, (std::vector<std::string>{"comm:", "NUBPF-PRINT", "11"}));
}

TEST(Print, ShowsSubstringOfComm) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  std::vector<std::string> lines =
      RunPrint("print ($e.comm | str substring 0..4)", "table", 1);
  EXPECT_EQ(lines, (std::vector<std::string>{"nubpf"}));
}

TEST(Print, WritesJsonLines) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  std::vector<std::string> lines = RunPrint("print $e.comm", "json", 1);
  EXPECT_EQ(lines, (std::vector<std::string>{"{\"print\": \"nubpf-print\"}"}));
}

// Returns the lines that Nushell prints for `body`, with `$e` a record of
// the child's comm.
std::vector<std::string> NushellPrints(const std::string& body) {
  std::string script =
      "let e = {comm: \"" + std::string(kChildComm) + "\"}\n" + body;
  RunResult run = RunToExit({NuPath(), "-n", "--no-std-lib", "-c", script});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> lines;
  size_t at = 0;
  while (at < run.out.size()) {
    size_t newline = run.out.find('\n', at);
    if (newline == std::string::npos) newline = run.out.size();
    lines.push_back(run.out.substr(at, newline - at));
    at = newline + 1;
  }
  return lines;
}

// Interpolated strings and plain values print as Nushell prints them:
// ints in decimal, bools as true or false, escapes and braces as written.
TEST(Print, MatchesNushell) {
  ASSERT_FALSE(NuPath().empty()) << kNuMissing;
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  const char* kBodies[] = {
      "print $\"comm=($e.comm) length=($e.comm | str length)\"",
      "print $\"long=(($e.comm | str length) > 5) upper=($e.comm | str upcase)\"",
      "print $\"tab\\there {braces} \\(not a part\\) (1 + 2) ('x')\"",
      "print $'single ($e.comm) \\t stays'",
      "print $\"(0 - 7) (true) (false or true)\"",
      "print ($e.comm | str length) true \"text\"",
      "print $\"first\" $\"second ($e.comm)\"",
      "print $\"took (90sec) and (1500ms * 2) for (1mib) or (999999b)\"",
      "print $\"(1500 | into duration) in (4096 | into filesize)\"",
      "print $\"(($e.comm | str length) * 1000000 | into duration) for "
      "(($e.comm | str length) * 1024 | into filesize)\"",
      "$\"piped ($e.comm)\" | print",
  };
  for (const char* body : kBodies) {
    std::vector<std::string> expected = NushellPrints(body);
    ASSERT_FALSE(expected.empty()) << "Nushell printed nothing for `" << body << "`";
    std::vector<std::string> lines = RunPrint(body, "table", expected.size());
    EXPECT_EQ(lines, expected) << "for `" << body << "`";
  }
}

}  // namespace
}  // namespace nubpf::testing
