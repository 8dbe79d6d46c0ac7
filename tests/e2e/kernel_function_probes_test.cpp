// kprobe, kretprobe and fentry probes, and `bpf_probe kernel:function`,
// which compiles to an fentry program with a kprobe fallback. The object
// must be right on any kernel. What nubpf-run does with it depends on what
// the running kernel allows, so each test checks the outcome this kernel
// gives: a run, or the error that names the cause.

#include <unistd.h>

#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/elf_sections.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

std::string CompileProbe(const TempDir& dir, const std::string& text) {
  std::string source = dir.File("functions.nu");
  std::string object = dir.File("functions.bpf.o");
  std::ofstream(source) << text;
  std::string error = Compile(source, object);
  EXPECT_EQ(error, "") << text;
  return object;
}

bool Exists(const char* path) { return access(path, F_OK) == 0; }

// The same test as nubpf-run's: the kprobe PMU or tracefs' kprobe_events.
bool KprobesAvailable() {
  return Exists("/sys/bus/event_source/devices/kprobe") ||
         Exists("/sys/kernel/tracing/kprobe_events") ||
         Exists("/sys/kernel/debug/tracing/kprobe_events");
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class KernelFunctionProbes : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  }
};

TEST_F(KernelFunctionProbes, KprobeObjectAndOutcome) {
  for (std::string family : {"kprobe", "kretprobe"}) {
    TempDir dir;
    std::string object =
        CompileProbe(dir, "probe " + family + ":vfs_read {|e| count }\n");

    std::map<std::string, std::string> sections = ReadElfSections(object);
    EXPECT_TRUE(sections.count(family + "/vfs_read")) << family;
    EXPECT_TRUE(Contains(sections[".nubpf"],
                         "program\tvfs_read\t" + family + ":vfs_read\t1\t1\n"
                         "attach\tvfs_read\tsection\n"))
        << sections[".nubpf"];

    RunResult result = RunToExit({NubpfRunPath(), object, "--duration", "300ms"});
    if (KprobesAvailable()) {
      EXPECT_EQ(result.exit_code, 0) << result.err;
      continue;
    }
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_TRUE(Contains(result.err, "cannot attach program `vfs_read` (the probe "
                                     "at " + dir.File("functions.nu") + ":1:1) to " +
                                     family + " `vfs_read`"))
        << result.err;
    EXPECT_TRUE(Contains(result.err,
                         "kprobes are not available in this kernel (no "
                         "kprobe_events in tracefs and no PMU `kprobe` in "
                         "/sys/bus/event_source/devices)"))
        << result.err;
  }
}

TEST_F(KernelFunctionProbes, FentryObjectAndOutcome) {
  TempDir dir;
  std::string object = CompileProbe(dir, "probe fentry:vfs_read {|e| count }\n");

  std::map<std::string, std::string> sections = ReadElfSections(object);
  EXPECT_TRUE(sections.count("fentry/vfs_read"));
  EXPECT_TRUE(Contains(sections[".nubpf"], "attach\tvfs_read\tsection\n"))
      << sections[".nubpf"];
  EXPECT_FALSE(Contains(sections[".nubpf"], "fallback\t")) << sections[".nubpf"];

  RunResult result = RunToExit({NubpfRunPath(), object, "--duration", "300ms"});
  if (result.exit_code == 0) {
    // This kernel allows fentry programs.
    EXPECT_TRUE(Contains(result.err, "attached 1 probe")) << result.err;
    return;
  }
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_TRUE(Contains(result.err, "the kernel refused to load fentry program "
                                   "`vfs_read` (the probe at " +
                                       dir.File("functions.nu") + ":1:1): "))
      << result.err;
  // The help offers a kprobe only where the kernel has kprobes.
  std::string help = KprobesAvailable() ? "probe the function with `kprobe:vfs_read` instead"
                                        : "it has no kprobes either";
  EXPECT_TRUE(Contains(result.err, help)) << result.err;
}

TEST_F(KernelFunctionProbes, FunctionFallsBackToKprobe) {
  TempDir dir;
  std::string object =
      CompileProbe(dir, "bpf_probe kernel:function(\"vfs_read\") {|e| count }\n");

  std::map<std::string, std::string> sections = ReadElfSections(object);
  EXPECT_TRUE(sections.count("fentry/vfs_read"));
  EXPECT_TRUE(sections.count("kprobe/vfs_read"));
  EXPECT_TRUE(Contains(sections[".nubpf"], "attach\tvfs_read\tsection\n"
                                           "fallback\tvfs_read\tvfs_read_2\n"))
      << sections[".nubpf"];
  EXPECT_TRUE(Contains(sections[".nubpf"], "attach\tvfs_read_2\tsection\n"))
      << sections[".nubpf"];

  RunResult result = RunToExit(
      {NubpfRunPath(), object, "--duration", "300ms", "--verbose"});
  EXPECT_TRUE(Contains(result.err, "trying fentry program `vfs_read`; its "
                                   "kprobe fallback `vfs_read_2` is not loaded"))
      << result.err;
  bool fell_back = Contains(result.err,
                            "using kprobe program `vfs_read_2` in place of "
                            "fentry program `vfs_read`, which the kernel "
                            "refused to ");
  if (!fell_back || KprobesAvailable()) {
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return;
  }

  // Here the kernel rejects both: fentry at load, kprobes at attach.
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_TRUE(Contains(result.err, "error: cannot attach program `vfs_read_2`"))
      << result.err;
  EXPECT_TRUE(Contains(result.err, "kprobes are not available in this kernel"))
      << result.err;
  EXPECT_TRUE(Contains(result.err, "program `vfs_read_2` is the kprobe fallback "
                                   "of fentry program `vfs_read`, which the "
                                   "kernel refused to "))
      << result.err;
}

}  // namespace
}  // namespace nubpf::testing
