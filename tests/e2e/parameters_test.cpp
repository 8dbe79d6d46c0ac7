// Parameters of `def main`, set on nubpf-run's command line: the design's
// read-size histogram with and without flags, and a switch and a duration
// that probes add to globals.

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

constexpr char kChildComm[] = "nubpf_params";

constexpr char kReadSizes[] =
    "def main [--comm: string = \"\", --min-bytes: int = 1] {\n"
    "    probe tracepoint:syscalls:sys_exit_read {|e|\n"
    "        if $e.ret >= $min_bytes and ($comm == \"\" or $e.comm == $comm) {\n"
    "            $e.ret | histogram --by $e.comm\n"
    "        }\n"
    "    }\n"
    "}\n";

// Forks a child named kChildComm that reads 100, 5000, 4000 and 3999 bytes
// of `path`, which must be long enough, and exits.
bool ReadAsChild(const std::string& path) {
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    prctl(PR_SET_NAME, kChildComm);
    int fd = open(path.c_str(), O_RDONLY);
    static char buffer[8192];
    for (size_t size : {100, 5000, 4000, 3999}) {
      if (fd < 0 || read(fd, buffer, size) != static_cast<ssize_t>(size)) _exit(1);
    }
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// Runs `object` with `flags` while `child` runs, and returns stdout.
std::string RunWhile(const std::string& object, const std::vector<std::string>& flags,
                     const std::function<bool()>& child, std::string* error) {
  std::vector<std::string> argv = {NubpfRunPath(), object, "--format", "json"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  Subprocess run(argv);
  if (!run.WaitForStderr("attached", seconds(20))) {
    *error = run.stderr_text();
    return "";
  }
  if (!child()) *error = "the child failed";
  if (run.Stop(SIGINT) != 0) *error = run.stderr_text();
  return run.ReadRemaining(seconds(5));
}

// The lines of `output` about the child's comm.
std::set<std::string> ChildLines(const std::string& output) {
  std::set<std::string> lines;
  size_t start = 0;
  while (start < output.size()) {
    size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    std::string line = output.substr(start, end - start);
    if (line.find(std::string("\"comm\": \"") + kChildComm + "\"") != std::string::npos) {
      lines.insert(line);
    }
    start = end + 1;
  }
  return lines;
}

class ReadSizes : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
    std::ofstream(source_) << kReadSizes;
    ASSERT_EQ(Compile(source_, object_), "");
    std::ofstream(data_) << std::string(20000, 'x');
  }

  TempDir dir_;
  std::string source_ = dir_.File("read_sizes.nu");
  std::string object_ = dir_.File("read_sizes.bpf.o");
  std::string data_ = dir_.File("data");
};

TEST_F(ReadSizes, FlagsSelectCommAndMinimum) {
  std::string error;
  std::string output = RunWhile(object_, {"--comm", kChildComm, "--min-bytes", "4000"},
                                [&] { return ReadAsChild(data_); }, &error);
  ASSERT_EQ(error, "");
  // Only the reads of 5000 and 4000 bytes count, and no other process.
  EXPECT_EQ(output,
            "{\"aggregation\": \"histogram_ret_by_comm\", \"comm\": \"nubpf_params\", "
            "\"from\": 2048, \"to\": 4096, \"count\": 1}\n"
            "{\"aggregation\": \"histogram_ret_by_comm\", \"comm\": \"nubpf_params\", "
            "\"from\": 4096, \"to\": 8192, \"count\": 1}\n");
}

TEST_F(ReadSizes, DefaultsCountEveryRead) {
  std::string error;
  std::string output = RunWhile(object_, {}, [&] { return ReadAsChild(data_); }, &error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(ChildLines(output),
            (std::set<std::string>{
                "{\"aggregation\": \"histogram_ret_by_comm\", \"comm\": \"nubpf_params\", "
                "\"from\": 64, \"to\": 128, \"count\": 1}",
                "{\"aggregation\": \"histogram_ret_by_comm\", \"comm\": \"nubpf_params\", "
                "\"from\": 2048, \"to\": 4096, \"count\": 2}",
                "{\"aggregation\": \"histogram_ret_by_comm\", \"comm\": \"nubpf_params\", "
                "\"from\": 4096, \"to\": 8192, \"count\": 1}",
            }))
      << output;
}

TEST_F(ReadSizes, InvalidFlagLoadsNothing) {
  RunResult run = RunToExit({NubpfRunPath(), object_, "--min-bytes", "abc"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("invalid value `abc` for --min-bytes: expected an int"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find("attached"), std::string::npos) << run.err;

  run = RunToExit({NubpfRunPath(), object_, "--colour", "red"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("unknown flag `--colour`"), std::string::npos) << run.err;

  run = RunToExit({NubpfRunPath(), object_, "--comm", std::string(300, 'a')});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("the value of --comm is 300 bytes, but the object has room for 255"),
            std::string::npos)
      << run.err;
}

TEST_F(ReadSizes, HelpListsParameters) {
  RunResult run = RunToExit({NubpfRunPath(), object_, "--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("  --comm string                default: \"\"\n"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("  --min-bytes int              default: 1\n"), std::string::npos)
      << run.out;
}

TEST(Parameters, SwitchAndDuration) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string source = dir.File("switch.nu");
  std::string object = dir.File("switch.bpf.o");
  std::ofstream(source) << "mut total = 0ns\n"
                           "mut flagged = 0\n"
                           "def main [--count-flagged, --step: duration = 1ms] {\n"
                           "    probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
                           "        if $e.comm == \"" << kChildComm << "\" {\n"
                           "            $total += $step\n"
                           "            if $count_flagged { $flagged += 1 }\n"
                           "        }\n"
                           "    }\n"
                           "}\n";
  ASSERT_EQ(Compile(source, object), "");
  auto child = [] { return CallGetppidAs(kChildComm, 5); };

  std::string error;
  std::string output = RunWhile(object, {"--count-flagged", "--step", "500us"}, child, &error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(output,
            "{\"global\": \"total\", \"value\": 2500000}\n"
            "{\"global\": \"flagged\", \"value\": 5}\n");

  output = RunWhile(object, {}, child, &error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(output,
            "{\"global\": \"total\", \"value\": 5000000}\n"
            "{\"global\": \"flagged\", \"value\": 0}\n");
}

// Returns the `bytes_xlated` of the first BPF program that process `pid`
// has open, or 0 when it has none. The kernel reports that size after the
// verifier has removed the code it proved dead.
uint64_t TranslatedBytesOf(pid_t pid) {
  std::string folder = "/proc/" + std::to_string(pid) + "/fdinfo";
  for (const auto& file : std::filesystem::directory_iterator(folder)) {
    std::ifstream info(file.path());
    for (std::string line; std::getline(info, line);) {
      if (line.rfind("prog_id:", 0) != 0) continue;
      std::string id = line.substr(line.find_first_not_of(" \t", 8));
      RunResult show = RunToExit({"/usr/sbin/bpftool", "prog", "show", "id", id, "-j"});
      if (show.exit_code != 0) return 0;
      return nlohmann::json::parse(show.out).value("bytes_xlated", uint64_t{0});
    }
  }
  return 0;
}

// Returns the translated size of the program of `object` run with `flags`.
uint64_t TranslatedBytes(const std::string& object, const std::vector<std::string>& flags,
                         std::string* error) {
  std::vector<std::string> argv = {NubpfRunPath(), object};
  argv.insert(argv.end(), flags.begin(), flags.end());
  Subprocess run(argv);
  if (!run.WaitForStderr("attached", seconds(20))) {
    *error = run.stderr_text();
    return 0;
  }
  uint64_t bytes = TranslatedBytesOf(run.pid());
  run.Stop(SIGINT);
  return bytes;
}

// A parameter is read from `.rodata`, which the loader freezes after
// setting it. The verifier then treats it as a constant and removes the
// branch it disables, so the program is smaller without the switch.
TEST(Parameters, VerifierRemovesDisabledBranch) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string source = dir.File("verbose.nu");
  std::string object = dir.File("verbose.bpf.o");
  std::ofstream(source)
      << "def main [--detail] {\n"
         "    probe tracepoint:syscalls:sys_enter_openat {|e|\n"
         "        if $detail {\n"
         "            emit {pid: $e.pid, comm: $e.comm, file: $e.filename,\n"
         "                  tmp: ($e.filename | str contains \"tmp\")}\n"
         "        }\n"
         "    }\n"
         "}\n";
  ASSERT_EQ(Compile(source, object), "");

  std::string error;
  uint64_t quiet = TranslatedBytes(object, {}, &error);
  ASSERT_EQ(error, "");
  uint64_t verbose = TranslatedBytes(object, {"--detail"}, &error);
  ASSERT_EQ(error, "");
  ASSERT_GT(quiet, 0u);
  // The emit, its string reads and the scan are several hundred bytes of
  // instructions; without the switch only the parameter's test is left.
  EXPECT_LT(quiet * 4, verbose) << "quiet " << quiet << " bytes, verbose " << verbose;
}

}  // namespace
}  // namespace nubpf::testing
