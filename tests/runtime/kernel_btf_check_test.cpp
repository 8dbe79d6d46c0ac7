#include "runtime/kernel_btf_check.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/support/subprocess.h"

namespace nubpf::runtime {
namespace {

using nubpf::testing::TempDir;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

KernelBtfNeeds CoreOnly() {
  KernelBtfNeeds needs;
  needs.core_relocations = true;
  return needs;
}

TEST(KernelBtf, CoreRelocationsNeedKernelBtf) {
  TempDir dir;
  std::optional<Error> error =
      CheckKernelBtf("x.bpf.o", CoreOnly(), dir.File("vmlinux"), /*custom_btf_path=*/"");
  ASSERT_TRUE(error);
  EXPECT_TRUE(Contains(error->message, "`x.bpf.o` reads kernel structs through CO-RE "
                                       "relocations, which need this kernel's BTF, but " +
                                           dir.File("vmlinux") + " does not exist"))
      << error->message;
  EXPECT_TRUE(Contains(error->help, "--btf FILE")) << error->help;
}

TEST(KernelBtf, BtfIdProgramsNeedKernelBtf) {
  if (access(kVmlinuxBtfPath, R_OK) != 0) GTEST_SKIP() << "needs a BTF file to give --btf";
  TempDir dir;
  KernelBtfNeeds needs;
  needs.btf_id_programs = {"sched_process_exec"};
  std::optional<Error> error =
      CheckKernelBtf("x.bpf.o", needs, dir.File("vmlinux"), kVmlinuxBtfPath);
  ASSERT_TRUE(error);
  EXPECT_TRUE(Contains(error->message, "tp_btf, fentry or fexit programs "
                                       "(`sched_process_exec`)"))
      << error->message;
  EXPECT_TRUE(Contains(error->help, "CONFIG_DEBUG_INFO_BTF")) << error->help;
}

TEST(KernelBtf, BtfFlagStandsInForCoreRelocations) {
  if (access(kVmlinuxBtfPath, R_OK) != 0) GTEST_SKIP() << "needs a BTF file to give --btf";
  TempDir dir;
  EXPECT_FALSE(CheckKernelBtf("x.bpf.o", CoreOnly(), dir.File("vmlinux"), kVmlinuxBtfPath));
}

TEST(KernelBtf, NothingNeededWithoutKernelBtf) {
  TempDir dir;
  EXPECT_FALSE(CheckKernelBtf("x.bpf.o", {}, dir.File("vmlinux"), ""));
}

TEST(KernelBtf, MissingBtfFlagFileIsUsageError) {
  TempDir dir;
  std::optional<Error> error =
      CheckKernelBtf("x.bpf.o", {}, kVmlinuxBtfPath, dir.File("gone.btf"));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->exit_code, ExitCode::kUsage);
  EXPECT_EQ(error->message, "--btf `" + dir.File("gone.btf") + "` not found");
}

TEST(KernelBtf, GarbageBtfFlagFileIsUsageError) {
  TempDir dir;
  std::ofstream(dir.File("garbage.btf")) << "not BTF at all\n";
  std::optional<Error> error =
      CheckKernelBtf("x.bpf.o", {}, kVmlinuxBtfPath, dir.File("garbage.btf"));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->exit_code, ExitCode::kUsage);
  EXPECT_TRUE(Contains(error->message, "is not a BTF file")) << error->message;
  EXPECT_TRUE(Contains(error->help, "/sys/kernel/btf/vmlinux")) << error->help;
}

}  // namespace
}  // namespace nubpf::runtime
