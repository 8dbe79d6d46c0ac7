// Probes whose target this machine lacks: an error that names the target
// and mentions --allow-missing, and with --allow-missing a warning per
// skipped probe while the other probes attach and count real events.

#include <bpf/btf.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

constexpr char kChildComm[] = "nubpf_missing";
constexpr int kCalls = 3;

// Counts the child's getppid(2) calls per process name.
constexpr char kGetppidProbe[] =
    "probe tracepoint:syscalls:sys_enter_getppid {|e| $e.comm | count }\n";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Runs `argv` while the child calls getppid(2) kCalls times, and returns
// the JSON output with the child's count; `stderr_text` gets nubpf-run's
// stderr.
std::string RunWithChild(const std::vector<std::string>& argv, std::string* stderr_text) {
  Subprocess run(argv);
  if (!run.WaitForStderr("attached", seconds(20))) {
    *stderr_text = run.stderr_text();
    return "";
  }
  EXPECT_TRUE(CallGetppidAs(kChildComm, kCalls));
  EXPECT_EQ(run.Stop(SIGINT), 0);
  std::string output = run.ReadRemaining(seconds(5));
  *stderr_text = run.stderr_text();
  return output;
}

std::string ChildCountLine() {
  return std::string("{\"aggregation\": \"count_by_comm\", \"comm\": \"") + kChildComm +
         "\", \"count\": " + std::to_string(kCalls) + "}";
}

// Writes a C program that defines `nubpf_target_probed` when
// `with_function`, and builds it at `binary`; returns the compiler's
// errors, or an empty string.
std::string BuildTarget(const TempDir& dir, const std::string& binary, bool with_function) {
  std::string source = dir.File("target.c");
  std::ofstream(source) << (with_function ? "void nubpf_target_probed(void) {}\n" : "")
                        << "int main(void) { return 0; }\n";
  RunResult built = RunToExit({"/usr/bin/cc", "-O0", "-o", binary, source});
  return built.exit_code == 0 ? "" : built.err;
}

// Writes the tracefs formats of the two tracepoints the probes use: a copy
// of the real getppid one, and one for a tracepoint no kernel has, so that
// the object compiles but one of its probes cannot attach here. Returns
// the folder to give to `nubpfc --tracefs`.
std::string WriteTracefs(const TempDir& dir) {
  std::string root = dir.File("tracefs");
  std::string getppid = root + "/events/syscalls/sys_enter_getppid";
  std::filesystem::create_directories(getppid);
  std::filesystem::copy_file("/sys/kernel/tracing/events/syscalls/sys_enter_getppid/format",
                             getppid + "/format");
  std::string absent = root + "/events/syscalls/sys_enter_nubpf_absent";
  std::filesystem::create_directories(absent);
  std::ofstream(absent + "/format")
      << "name: sys_enter_nubpf_absent\nID: 1\nformat:\n"
      << "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
      << "\tfield:long ret;\toffset:16;\tsize:8;\tsigned:1;\n";
  return root;
}

class MissingTargets : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  }
};

TEST_F(MissingTargets, UprobeSymbolGoneFromRebuiltBinary) {
  TempDir dir;
  std::string binary = dir.File("target");
  ASSERT_EQ(BuildTarget(dir, binary, /*with_function=*/true), "");
  std::string source = dir.File("uprobe.nu");
  std::ofstream(source) << "probe uprobe:" << binary << ":nubpf_target_probed {|e| count }\n"
                        << kGetppidProbe;
  std::string object = dir.File("uprobe.bpf.o");
  ASSERT_EQ(Compile(source, object), "");
  ASSERT_EQ(BuildTarget(dir, binary, /*with_function=*/false), "");

  RunResult refused = RunToExit({NubpfRunPath(), object, "--duration", "1s"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_TRUE(Contains(refused.err, "cannot attach program `nubpf_target_probed` (the probe at " +
                                        source + ":1:1): symbol `nubpf_target_probed` not "
                                        "found in `" + binary + "`"))
      << refused.err;
  EXPECT_TRUE(Contains(refused.err, "help: ")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "--allow-missing")) << refused.err;

  std::string err;
  std::string output =
      RunWithChild({NubpfRunPath(), object, "--allow-missing", "--format", "json"}, &err);
  EXPECT_TRUE(Contains(err, "nubpf-run: warning: skipped program `nubpf_target_probed` (the "
                            "probe at " + source + ":1:1): symbol `nubpf_target_probed` "
                            "not found in `" + binary + "`"))
      << err;
  EXPECT_TRUE(Contains(err, "attached 1 probe;")) << err;
  EXPECT_TRUE(Contains(output, ChildCountLine())) << output << err;
}

TEST_F(MissingTargets, UprobeBinaryRemoved) {
  TempDir dir;
  std::string binary = dir.File("target");
  ASSERT_EQ(BuildTarget(dir, binary, /*with_function=*/true), "");
  std::string source = dir.File("uprobe.nu");
  std::ofstream(source) << "probe uprobe:" << binary << ":nubpf_target_probed {|e| count }\n"
                        << kGetppidProbe;
  std::string object = dir.File("uprobe.bpf.o");
  ASSERT_EQ(Compile(source, object), "");
  std::filesystem::remove(binary);

  RunResult refused = RunToExit({NubpfRunPath(), object, "--duration", "1s"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_TRUE(Contains(refused.err, "file `" + binary + "` not found")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "--allow-missing")) << refused.err;

  std::string err;
  std::string output =
      RunWithChild({NubpfRunPath(), object, "--allow-missing", "--format", "json"}, &err);
  EXPECT_TRUE(Contains(err, "nubpf-run: warning: skipped program `nubpf_target_probed` (the "
                            "probe at " + source + ":1:1): file `" + binary + "` not found"))
      << err;
  EXPECT_TRUE(Contains(output, ChildCountLine())) << output << err;
}

// A kernel BTF with one function that no Linux kernel has, so that an
// fentry probe on it compiles with `nubpfc --btf`.
void WriteBtfWithAbsentFunction(const std::string& path) {
  struct btf* btf = btf__new_empty();
  ASSERT_NE(btf, nullptr);
  int int_type = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
  int prototype = btf__add_func_proto(btf, int_type);
  ASSERT_EQ(btf__add_func_param(btf, "value", int_type), 0);
  ASSERT_GT(btf__add_func(btf, "nubpf_absent_function", BTF_FUNC_GLOBAL, prototype), 0);
  uint32_t size = 0;
  const void* data = btf__raw_data(btf, &size);
  std::ofstream(path, std::ios::binary).write(static_cast<const char*>(data), size);
  btf__free(btf);
}

// libbpf would fail the load of this program when it looks up the
// function's BTF id, so nubpf-run must leave it out before loading.
TEST_F(MissingTargets, FentryFunctionAbsentFromKernel) {
  TempDir dir;
  std::string btf = dir.File("absent.btf");
  WriteBtfWithAbsentFunction(btf);
  std::string source = dir.File("fentry.nu");
  std::ofstream(source) << "probe fentry:nubpf_absent_function {|e| count }\n" << kGetppidProbe;
  std::string object = dir.File("fentry.bpf.o");
  ASSERT_EQ(Compile(source, object, {"--btf", btf}), "");

  RunResult refused = RunToExit({NubpfRunPath(), object, "--duration", "1s"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_TRUE(Contains(refused.err, "cannot attach program `nubpf_absent_function` (the probe "
                                    "at " + source + ":1:1): fentry target "
                                    "`nubpf_absent_function` not found on this kernel"))
      << refused.err;
  EXPECT_TRUE(Contains(refused.err, "--allow-missing")) << refused.err;

  std::string err;
  std::string output =
      RunWithChild({NubpfRunPath(), object, "--allow-missing", "--format", "json"}, &err);
  EXPECT_TRUE(Contains(err, "nubpf-run: warning: skipped program `nubpf_absent_function`"))
      << err;
  EXPECT_TRUE(Contains(err, "attached 1 probe;")) << err;
  EXPECT_TRUE(Contains(output, ChildCountLine())) << output << err;
}

TEST_F(MissingTargets, TracepointAbsentFromKernel) {
  TempDir dir;
  std::string tracefs = WriteTracefs(dir);
  std::string source = dir.File("absent.nu");
  std::ofstream(source) << "probe tracepoint:syscalls:sys_enter_nubpf_absent {|e| count }\n"
                        << kGetppidProbe;
  std::string object = dir.File("absent.bpf.o");
  ASSERT_EQ(Compile(source, object, {"--tracefs", tracefs}), "");

  RunResult refused = RunToExit({NubpfRunPath(), object, "--duration", "1s"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_TRUE(Contains(refused.err, "tracepoint syscalls:sys_enter_nubpf_absent not found on "
                                    "this kernel"))
      << refused.err;
  EXPECT_TRUE(Contains(refused.err, "--allow-missing")) << refused.err;

  std::string err;
  std::string output =
      RunWithChild({NubpfRunPath(), object, "--allow-missing", "--format", "json"}, &err);
  EXPECT_TRUE(Contains(err, "nubpf-run: warning: skipped program `sys_enter_nubpf_absent`"))
      << err;
  EXPECT_TRUE(Contains(err, "attached 1 probe;")) << err;
  EXPECT_TRUE(Contains(output, ChildCountLine())) << output << err;
}

TEST_F(MissingTargets, NoProbeLeftIsStillError) {
  TempDir dir;
  std::string tracefs = WriteTracefs(dir);
  std::string source = dir.File("absent.nu");
  std::ofstream(source) << "probe tracepoint:syscalls:sys_enter_nubpf_absent {|e| count }\n";
  std::string object = dir.File("absent.bpf.o");
  ASSERT_EQ(Compile(source, object, {"--tracefs", tracefs}), "");

  RunResult result = RunToExit({NubpfRunPath(), object, "--allow-missing", "--duration", "1s"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(Contains(result.err, "no probe of `" + object + "` can attach")) << result.err;
  EXPECT_TRUE(Contains(result.err, "sys_enter_nubpf_absent")) << result.err;
}

TEST_F(MissingTargets, VerifySkipsMissingWithFlag) {
  TempDir dir;
  std::string tracefs = WriteTracefs(dir);
  std::string source = dir.File("absent.nu");
  std::ofstream(source) << "probe tracepoint:syscalls:sys_enter_nubpf_absent {|e| count }\n"
                        << kGetppidProbe;
  std::string object = dir.File("absent.bpf.o");
  ASSERT_EQ(Compile(source, object, {"--tracefs", tracefs}), "");

  RunResult result =
      RunToExit({NubpfRunPath(), "--verify", object, "--allow-missing", "--format", "json"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(Contains(result.err, "skipped program `sys_enter_nubpf_absent`")) << result.err;
  EXPECT_TRUE(Contains(result.out, "\"program\": \"sys_enter_getppid\"")) << result.out;
  EXPECT_FALSE(Contains(result.out, "sys_enter_nubpf_absent")) << result.out;
}

}  // namespace
}  // namespace nubpf::testing
