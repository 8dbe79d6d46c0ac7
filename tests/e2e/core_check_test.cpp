// The CO-RE relocation checker of tests/support: against the running
// kernel's BTF, which needs no download, and on bad input.

#include <bpf/btf.h>

#include <cstdint>
#include <fstream>
#include <optional>

#include "gtest/gtest.h"
#include "tests/support/core_check.h"
#include "tests/support/llvm_ir.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr char kRunningKernelBtf[] = "/sys/kernel/btf/vmlinux";

std::string AssembleFixture(const TempDir& dir) {
  std::string object = dir.File("task_struct_fields.bpf.o");
  EXPECT_EQ(AssembleBpfIr(SourcePath("tests/e2e/fixtures/task_struct_fields.ll"), object), "");
  return object;
}

TEST(CoreCheck, ReadsFixtureRecords) {
  TempDir dir;
  std::string object = AssembleFixture(dir);
  ASSERT_FALSE(HasFailure());

  std::string error;
  std::vector<CoreRecord> records = ReadCoreRecords(object, &error);
  ASSERT_EQ(error, "");
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[0].section, "kprobe/do_nanosleep");
  EXPECT_EQ(records[0].program, "read_task_fields");
  EXPECT_EQ(records[0].index, 0u);
  EXPECT_EQ(records[0].kind, BPF_CORE_FIELD_BYTE_OFFSET);
  EXPECT_EQ(records[0].access, "0:2");
  EXPECT_EQ(records[0].spec, "struct task_struct.real_parent");
  EXPECT_EQ(records[2].kind, BPF_CORE_FIELD_EXISTS);
  EXPECT_EQ(records[2].spec, "struct task_struct.saved_state");
  EXPECT_EQ(records[4].index, 4u);
  EXPECT_EQ(records[4].spec, "struct task_struct.mce_count");
}

TEST(CoreCheck, FixtureResolvesOnRunningKernel) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string object = AssembleFixture(dir);
  ASSERT_FALSE(HasFailure());

  CoreCheck check = CheckCoreRelocations(object, kRunningKernelBtf);
  ASSERT_EQ(check.error, "") << check.log;
  ASSERT_EQ(check.relocations.size(), 5u);
  // Which optional fields this machine's kernel has is its own business; the
  // fields every kernel has must resolve, and every relocation must be
  // reached.
  EXPECT_TRUE(Resolved(check.relocations[0])) << FormatCoreRelocation(check.relocations[0]);
  EXPECT_TRUE(Resolved(check.relocations[1])) << FormatCoreRelocation(check.relocations[1]);
  for (const CoreRelocationResult& relocation : check.relocations) {
    EXPECT_NE(relocation.outcome, CoreOutcome::kNotReached) << FormatCoreRelocation(relocation);
    EXPECT_NE(relocation.outcome, CoreOutcome::kFailed) << FormatCoreRelocation(relocation);
  }
  EXPECT_EQ(check.load_error, "") << check.log;
}

TEST(CoreCheck, MissingBtfFileIsError) {
  TempDir dir;
  std::string object = AssembleFixture(dir);
  ASSERT_FALSE(HasFailure());

  CoreCheck check = CheckCoreRelocations(object, dir.File("missing.btf"));
  EXPECT_NE(check.error.find("cannot read BTF from " + dir.File("missing.btf")),
            std::string::npos)
      << check.error;
  EXPECT_TRUE(check.relocations.empty());
}

TEST(CoreCheck, NonElfObjectIsError) {
  TempDir dir;
  std::string object = dir.File("not-an-object.o");
  std::ofstream(object) << "plain text\n";

  CoreCheck check = CheckCoreRelocations(object, kRunningKernelBtf);
  EXPECT_NE(check.error.find("not an ELF file"), std::string::npos) << check.error;
}

TEST(CoreCheck, CorruptBtfExtIsError) {
  TempDir dir;
  std::string object = AssembleFixture(dir);
  ASSERT_FALSE(HasFailure());
  std::string garbage = dir.File("garbage.bin");
  std::ofstream(garbage) << "not a .BTF.ext header";
  std::string corrupt = dir.File("corrupt.bpf.o");
  RunResult copied = RunToExit(
      {LlvmToolPath("llvm-objcopy"), "--update-section", ".BTF.ext=" + garbage, object, corrupt});
  ASSERT_EQ(copied.exit_code, 0) << copied.err;

  CoreCheck check = CheckCoreRelocations(corrupt, kRunningKernelBtf);
  EXPECT_NE(check.error.find("does not start with the BTF magic"), std::string::npos)
      << check.error;
}

TEST(CoreCheck, CommandRejectsMissingObject) {
  RunResult result = RunToExit({std::string(NUBPF_BINARY_DIR) + "/nubpf-core-check",
                                "/nonexistent.bpf.o", kRunningKernelBtf});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("/nonexistent.bpf.o"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace nubpf::testing
