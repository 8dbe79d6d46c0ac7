// The loader drops the `local_type_id` relocations that nubpfc writes for
// each record, whose instructions already hold the type ids, so that
// libbpf does not parse the running kernel's BTF for an object that needs
// none of it. Objects that read kernel structs keep their relocations.

#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "runtime/core_relocations.h"
#include "tests/support/core_records.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using runtime::DropNoOpTypeIdRelocations;

constexpr const char* kEmitOnly = R"(use nubpf *
probe tracepoint:syscalls:sys_enter_getppid {|e| emit {pid: $e.pid, comm: $e.comm} }
)";

constexpr const char* kKernelRead = R"(use nubpf *
probe tracepoint:syscalls:sys_enter_getppid {|e| emit {pid: $e.pid, ppid: $e.task.real_parent.tgid} }
)";

// libbpf's debug message when it reads /sys/kernel/btf/vmlinux, which
// `nubpf-run --verbose` passes on.
constexpr const char* kKernelBtfLoaded = "loading kernel BTF";

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string CompileProbe(const TempDir& dir, const std::string& name, const std::string& source) {
  std::string source_path = dir.File(name + ".nu");
  std::ofstream(source_path) << source;
  std::string object = dir.File(name + ".bpf.o");
  EXPECT_EQ(Compile(source_path, object), "");
  return object;
}

TEST(TypeIdRelocations, EmitTypeIdsDropped) {
  TempDir dir;
  std::string object = CompileProbe(dir, "emit_only", kEmitOnly);
  std::string error;
  std::vector<CoreRecord> records = ReadCoreRecords(object, &error);
  ASSERT_EQ(error, "");
  ASSERT_FALSE(records.empty());
  for (const CoreRecord& record : records) {
    EXPECT_EQ(record.kind, BPF_CORE_TYPE_ID_LOCAL) << record.section;
  }

  std::string bytes = ReadBytes(object);
  ASSERT_TRUE(DropNoOpTypeIdRelocations(bytes));
  std::string dropped = dir.File("dropped.bpf.o");
  std::ofstream(dropped, std::ios::binary) << bytes;
  EXPECT_TRUE(ReadCoreRecords(dropped, &error).empty());
  EXPECT_EQ(error, "");
  EXPECT_FALSE(DropNoOpTypeIdRelocations(bytes)) << "a second pass found relocations left";
}

TEST(TypeIdRelocations, KernelReadsKept) {
  TempDir dir;
  std::string object = CompileProbe(dir, "kernel_read", kKernelRead);
  std::string bytes = ReadBytes(object);
  std::string before = bytes;
  EXPECT_FALSE(DropNoOpTypeIdRelocations(bytes));
  EXPECT_EQ(bytes, before);
}

TEST(TypeIdRelocations, NonObjectsUntouched) {
  std::string empty;
  EXPECT_FALSE(DropNoOpTypeIdRelocations(empty));
  std::string text = "not an ELF object";
  EXPECT_FALSE(DropNoOpTypeIdRelocations(text));
  EXPECT_EQ(text, "not an ELF object");
}

TEST(TypeIdRelocations, EmitLoadsWithoutKernelBtf) {
  TempDir dir;
  std::string emit_only = CompileProbe(dir, "emit_only", kEmitOnly);
  RunResult result = RunToExit({NubpfRunPath(), emit_only, "--duration", "0s", "--verbose"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err.find(kKernelBtfLoaded), std::string::npos) << result.err;

  std::string kernel_read = CompileProbe(dir, "kernel_read", kKernelRead);
  result = RunToExit({NubpfRunPath(), kernel_read, "--duration", "0s", "--verbose"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find(kKernelBtfLoaded), std::string::npos) << result.err;
}

}  // namespace
}  // namespace nubpf::testing
