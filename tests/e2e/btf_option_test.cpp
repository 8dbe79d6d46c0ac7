// nubpf-run --btf FILE, which gives libbpf the kernel types for CO-RE
// relocations in place of /sys/kernel/btf/vmlinux, as a fleet would ship
// for kernels without BTF.

#include <bpf/btf.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::seconds;

constexpr char kChildComm[] = "nubpf_btf";

// Reads a kernel struct through CO-RE: the child's parent is this test.
constexpr char kParentProbe[] =
    "probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
    "    if $e.comm == \"nubpf_btf\" { emit {ppid: $e.task.real_parent.tgid} }\n"
    "}\n";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string CompileParentProbe(const TempDir& dir) {
  std::string source = dir.File("parent.nu");
  std::ofstream(source) << kParentProbe;
  std::string object = dir.File("parent.bpf.o");
  EXPECT_EQ(Compile(source, object), "");
  return object;
}

class BtfOption : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  }
};

TEST_F(BtfOption, CopyOfKernelBtfWorks) {
  TempDir dir;
  std::string object = CompileParentProbe(dir);
  std::string btf = dir.File("vmlinux.btf");
  std::filesystem::copy_file("/sys/kernel/btf/vmlinux", btf);

  Subprocess run({NubpfRunPath(), object, "--btf", btf, "--format", "json"});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(20))) << run.stderr_text();
  ASSERT_TRUE(CallGetppidAs(kChildComm));
  std::optional<std::string> line = run.ReadLine(std::chrono::milliseconds(10000));
  EXPECT_EQ(run.Stop(SIGINT), 0) << run.stderr_text();
  ASSERT_TRUE(line) << run.stderr_text();
  EXPECT_EQ(*line, "{\"ppid\": " + std::to_string(getpid()) + "}");
}

TEST_F(BtfOption, FileWithoutTheStructFailsRelocation) {
  TempDir dir;
  std::string object = CompileParentProbe(dir);
  // A valid BTF file with one int and no task_struct, so that the CO-RE
  // relocations can only fail if libbpf reads it.
  std::string btf_path = dir.File("empty.btf");
  struct btf* btf = btf__new_empty();
  ASSERT_NE(btf, nullptr);
  ASSERT_GT(btf__add_int(btf, "int", 4, BTF_INT_SIGNED), 0);
  uint32_t size = 0;
  const void* data = btf__raw_data(btf, &size);
  std::ofstream(btf_path, std::ios::binary).write(static_cast<const char*>(data), size);
  btf__free(btf);

  RunResult result = RunToExit({NubpfRunPath(), object, "--btf", btf_path, "--duration", "1s"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_TRUE(Contains(result.err, "task_struct")) << result.err;
}

TEST_F(BtfOption, MissingFileIsUsageError) {
  TempDir dir;
  std::string object = CompileParentProbe(dir);
  RunResult result = RunToExit({NubpfRunPath(), object, "--btf", dir.File("gone.btf")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(Contains(result.err, "--btf `" + dir.File("gone.btf") + "` not found"))
      << result.err;
  EXPECT_TRUE(Contains(result.err, "help: ")) << result.err;
}

TEST_F(BtfOption, GarbageFileIsUsageError) {
  TempDir dir;
  std::string object = CompileParentProbe(dir);
  std::string garbage = dir.File("garbage.btf");
  std::ofstream(garbage) << "this is not BTF\n";
  RunResult result = RunToExit({NubpfRunPath(), object, "--btf", garbage});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(Contains(result.err, "--btf `" + garbage + "` is not a BTF file")) << result.err;
  // libbpf's own error codes have no strerror() text.
  EXPECT_FALSE(Contains(result.err, "Unknown error")) << result.err;
  EXPECT_TRUE(Contains(result.err, "help: ")) << result.err;
}

}  // namespace
}  // namespace nubpf::testing
