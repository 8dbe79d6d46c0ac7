// Kernel struct reads compiled once, against this machine's BTF, resolve
// on other kernels. libbpf relocates every CO-RE access of the probe below
// against each Debian kernel's BTF, and the field-exists check on
// `task_struct.saved_state` finds the member where that kernel has it.
// tools/fetch-kernel-btf.sh provides the kernels; the tests skip only when
// it cannot reach the Debian archive.

#include <cctype>
#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/core_check.h"
#include "tests/support/kernel_btf.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

// A pointer followed twice, a char array, a bitfield, an embedded struct,
// an enum compared by name, an array element and an optional member.
constexpr char kProbe[] = R"(probe tracepoint:syscalls:sys_enter_getppid {|e|
    emit {
        ppid: $e.task.real_parent.tgid,
        comm: $e.task.comm,
        reset: $e.task.sched_reset_on_fork,
        vruntime: $e.task.se.vruntime,
        none: ($e.task.restart_block.nanosleep.type == "TT_NONE"),
        nr: $e.task.thread_pid.numbers.0.nr,
        saved: ($e.task.saved_state? | default 0),
    }
}
)";

struct Kernel {
  const char* name;
  // bookworm-backports, the source of the 6.12 kernel, may be missing
  // from a mirror, so the fetch script treats that kernel as optional.
  bool required;
  // `bpftool btf dump` of the kernels shows `task_struct.saved_state` in
  // the 6.1 rt flavour and in 6.12 only.
  bool has_saved_state;
};

constexpr Kernel kKernels[] = {
    {"debian12-6.1-amd64", true, false},
    {"debian12-6.1-cloud-amd64", true, false},
    {"debian12-6.1-rt-amd64", true, true},
    {"debian12-6.12-amd64", false, true},
};

void PrintTo(const Kernel& kernel, std::ostream* out) { *out << kernel.name; }

std::string TestName(const ::testing::TestParamInfo<Kernel>& info) {
  std::string name = info.param.name;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class KernelReadsPortable : public ::testing::TestWithParam<Kernel> {};

TEST_P(KernelReadsPortable, RelocationsResolve) {
  if (!CanLoadBpf()) {
    GTEST_SKIP() << "libbpf 1.1 resolves CO-RE relocations only while loading, which needs root";
  }
  const KernelBtfs& btfs = FetchKernelBtfs();
  if (!btfs.skip_reason.empty()) GTEST_SKIP() << btfs.skip_reason;
  ASSERT_EQ(btfs.error, "");
  auto path = btfs.path_by_name.find(GetParam().name);
  if (path == btfs.path_by_name.end() && !GetParam().required) {
    GTEST_SKIP() << "tools/fetch-kernel-btf.sh provided no " << GetParam().name;
  }
  ASSERT_NE(path, btfs.path_by_name.end()) << "no BTF for " << GetParam().name;

  TempDir dir;
  std::ofstream(dir.File("probe.nu")) << kProbe;
  ASSERT_EQ(Compile(dir.File("probe.nu"), dir.File("probe.bpf.o")), "");
  CoreCheck check = CheckCoreRelocations(dir.File("probe.bpf.o"), path->second);
  ASSERT_EQ(check.error, "") << check.log;

  bool saw_exists = false;
  for (const CoreRelocationResult& relocation : check.relocations) {
    bool is_saved_state = relocation.record.spec == "struct task_struct.saved_state";
    if (is_saved_state && relocation.record.kind == BPF_CORE_FIELD_EXISTS) {
      saw_exists = true;
      EXPECT_EQ(relocation.outcome, CoreOutcome::kPatched) << FormatCoreRelocation(relocation);
      EXPECT_EQ(relocation.value, GetParam().has_saved_state ? 1u : 0u);
      continue;
    }
    // The read of saved_state under the check is poisoned where the
    // member is missing, which the verifier accepts as dead code.
    if (is_saved_state && !GetParam().has_saved_state) {
      EXPECT_EQ(relocation.outcome, CoreOutcome::kPoisoned) << FormatCoreRelocation(relocation);
      continue;
    }
    EXPECT_TRUE(Resolved(relocation)) << FormatCoreRelocation(relocation);
  }
  EXPECT_TRUE(saw_exists) << "no field-exists relocation for saved_state";
  // This machine's verifier accepts the program relocated for that kernel.
  EXPECT_EQ(check.load_error, "") << check.log;
}

INSTANTIATE_TEST_SUITE_P(Kernels, KernelReadsPortable, ::testing::ValuesIn(kKernels), TestName);

}  // namespace
}  // namespace nubpf::testing
