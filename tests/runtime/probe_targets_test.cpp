#include "runtime/probe_targets.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "runtime/capabilities.h"
#include "tests/support/subprocess.h"

// A symbol that this test binary defines, for the uprobe checks.
extern "C" void nubpf_probe_targets_test_symbol() {}

namespace nubpf::runtime {
namespace {

using nubpf::testing::TempDir;

// A tracefs with one tracepoint, a kallsyms with one function, and no
// vmlinux BTF.
KernelTargets::Paths FakeKernel(const TempDir& dir) {
  std::filesystem::create_directories(dir.File("tracing/events/syscalls/sys_enter_read"));
  std::ofstream(dir.File("kallsyms")) << "0000000000000000 T vfs_read\n"
                                      << "0000000000000000 t nf_hook [nf_tables]\n";
  KernelTargets::Paths paths;
  paths.vmlinux_btf = dir.File("no-vmlinux");
  paths.kallsyms = dir.File("kallsyms");
  paths.tracefs = {dir.File("tracing")};
  return paths;
}

AttachInfo Uprobe(std::string path, std::string symbol) {
  AttachInfo attach;
  attach.kind = AttachKind::kUprobe;
  attach.path = std::move(path);
  attach.symbol = std::move(symbol);
  return attach;
}

TEST(ProbeTargets, TracepointFoundInTracefs) {
  TempDir dir;
  KernelTargets kernel(FakeKernel(dir));
  EXPECT_FALSE(kernel.FindMissing("tracepoint/syscalls/sys_enter_read", {}));
}

TEST(ProbeTargets, TracepointMissingIsNamed) {
  TempDir dir;
  KernelTargets kernel(FakeKernel(dir));
  std::optional<MissingTarget> missing =
      kernel.FindMissing("tracepoint/syscalls/sys_enter_nope", {});
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->reason, "tracepoint syscalls:sys_enter_nope not found on this kernel");
  EXPECT_EQ(missing->help, "list the tracepoints in " + dir.File("tracing") + "/events");
}

TEST(ProbeTargets, TracepointUncheckedWithoutTracefs) {
  TempDir dir;
  KernelTargets::Paths paths = FakeKernel(dir);
  paths.tracefs = {dir.File("unmounted")};
  KernelTargets kernel(paths);
  EXPECT_FALSE(kernel.FindMissing("tracepoint/syscalls/sys_enter_nope", {}));
}

TEST(ProbeTargets, KprobeLooksInKallsyms) {
  TempDir dir;
  KernelTargets kernel(FakeKernel(dir));
  EXPECT_FALSE(kernel.FindMissing("kprobe/vfs_read", {}));
  EXPECT_FALSE(kernel.FindMissing("kretprobe/nf_hook", {}));
  std::optional<MissingTarget> missing = kernel.FindMissing("kprobe/vfs_nope", {});
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->reason, "kprobe target `vfs_nope` not found in " + dir.File("kallsyms"));
}

TEST(ProbeTargets, FentryUncheckedWithoutKernelBtf) {
  TempDir dir;
  KernelTargets kernel(FakeKernel(dir));
  EXPECT_FALSE(kernel.FindMissing("fentry/vfs_nope", {}));
  EXPECT_FALSE(kernel.FindMissing("tp_btf/sched_nope", {}));
  EXPECT_FALSE(kernel.FindMissing("raw_tp/sched_nope", {}));
}

TEST(ProbeTargets, FentryLooksInKernelBtf) {
  if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) GTEST_SKIP() << "no kernel BTF";
  TempDir dir;
  KernelTargets::Paths paths = FakeKernel(dir);
  paths.vmlinux_btf = "/sys/kernel/btf/vmlinux";
  KernelTargets kernel(paths);
  EXPECT_FALSE(kernel.FindMissing("fentry/vfs_read", {}));
  EXPECT_FALSE(kernel.FindMissing("tp_btf/sched_process_exec", {}));

  std::optional<MissingTarget> function = kernel.FindMissing("fexit/nubpf_no_such_function", {});
  ASSERT_TRUE(function);
  EXPECT_NE(function->reason.find("fexit target `nubpf_no_such_function` not found on this "
                                  "kernel"),
            std::string::npos)
      << function->reason;
  std::optional<MissingTarget> tracepoint = kernel.FindMissing("tp_btf/nubpf_no_such_event", {});
  ASSERT_TRUE(tracepoint);
  EXPECT_NE(tracepoint->reason.find("has no `btf_trace_nubpf_no_such_event`"),
            std::string::npos)
      << tracepoint->reason;

  EXPECT_FALSE(kernel.FindMissing("raw_tp/sys_enter", {}));
  std::optional<MissingTarget> raw = kernel.FindMissing("raw_tp/nubpf_no_such_event", {});
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->reason.rfind("raw tracepoint `nubpf_no_such_event` not found on this kernel", 0),
            0u)
      << raw->reason;
}

TEST(ProbeTargets, UprobeFileAndSymbol) {
  TempDir dir;
  KernelTargets kernel(FakeKernel(dir));
  std::string self = std::filesystem::read_symlink("/proc/self/exe");
  EXPECT_FALSE(kernel.FindMissing("uprobe", Uprobe(self, "nubpf_probe_targets_test_symbol")));

  std::optional<MissingTarget> symbol =
      kernel.FindMissing("uprobe", Uprobe(self, "nubpf_no_such_symbol"));
  ASSERT_TRUE(symbol);
  EXPECT_EQ(symbol->reason, "symbol `nubpf_no_such_symbol` not found in `" + self + "`");

  std::optional<MissingTarget> file =
      kernel.FindMissing("uprobe", Uprobe(dir.File("gone"), "nubpf_probe_targets_test_symbol"));
  ASSERT_TRUE(file);
  EXPECT_EQ(file->reason, "file `" + dir.File("gone") + "` not found");
}

TEST(ProbeTargets, UprobeNonElfFileUnchecked) {
  TempDir dir;
  std::ofstream(dir.File("script")) << "#!/bin/sh\n";
  KernelTargets kernel(FakeKernel(dir));
  EXPECT_FALSE(kernel.FindMissing("uprobe", Uprobe(dir.File("script"), "main")));
  EXPECT_EQ(ElfDefinesSymbol(dir.File("script"), "main"), std::nullopt);
}

TEST(Capabilities, NamesJoinedForMessages) {
  EXPECT_EQ(JoinCapabilityNames({"CAP_BPF"}), "CAP_BPF");
  EXPECT_EQ(JoinCapabilityNames({"CAP_BPF", "CAP_PERFMON"}), "CAP_BPF and CAP_PERFMON");
  EXPECT_EQ(JoinCapabilityNames({"CAP_BPF", "CAP_PERFMON", "CAP_SYS_ADMIN"}),
            "CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN");
}

}  // namespace
}  // namespace nubpf::runtime
