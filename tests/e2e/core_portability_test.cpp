// Objects load on other kernels: every CO-RE relocation of every sample
// resolves against other Debian kernels' BTF, and a fixture with
// `task_struct` field relocations gets each kernel's own offsets and
// field-exists results. tools/fetch-kernel-btf.sh provides the kernels; the
// tests skip only when it cannot reach the Debian archive.

#include <bpf/btf.h>

#include <cctype>
#include <cstdint>
#include <optional>

#include "gtest/gtest.h"
#include "tests/support/core_check.h"
#include "tests/support/kernel_btf.h"
#include "tests/support/llvm_ir.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

struct Kernel {
  const char* name;
  // bookworm-backports, the source of the 6.12 kernel, may be missing from a
  // mirror, so the fetch script treats that kernel as optional.
  bool required;
  // The kernels' BTF, dumped with `bpftool btf dump`, has `saved_state` in
  // the 6.1 rt flavour and in 6.12. It has `mce_count` everywhere but in the
  // cloud flavour, which is built without CONFIG_X86_MCE.
  bool has_saved_state;
  bool has_mce_count;
};

constexpr Kernel kKernels[] = {
    {"debian12-6.1-amd64", true, false, true},
    {"debian12-6.1-cloud-amd64", true, false, false},
    {"debian12-6.1-rt-amd64", true, true, true},
    {"debian12-6.12-amd64", false, true, true},
};

// Names the kernel in gtest's messages instead of dumping its bytes.
void PrintTo(const Kernel& kernel, std::ostream* out) { *out << kernel.name; }

std::string TestName(const ::testing::TestParamInfo<Kernel>& info) {
  std::string name = info.param.name;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

// Returns the byte offset of `task_struct.FIELD` in the BTF at `btf_path`,
// read with libbpf's BTF API instead of CO-RE, or nullopt when it has none.
std::optional<uint64_t> TaskStructOffset(const std::string& btf_path, const std::string& field) {
  btf* kernel = btf__parse(btf_path.c_str(), nullptr);
  if (kernel == nullptr) return std::nullopt;
  std::optional<uint64_t> offset;
  int id = btf__find_by_name_kind(kernel, "task_struct", BTF_KIND_STRUCT);
  const btf_type* task_struct = id > 0 ? btf__type_by_id(kernel, id) : nullptr;
  for (int i = 0; task_struct != nullptr && i < btf_vlen(task_struct); ++i) {
    if (btf__name_by_offset(kernel, btf_members(task_struct)[i].name_off) == field) {
      offset = btf_member_bit_offset(task_struct, i) / 8;
    }
  }
  btf__free(kernel);
  return offset;
}

// The fixture's relocations, in .BTF.ext order (see the fixture's header).
enum FixtureRelocation : size_t {
  kRealParentOffset,
  kTgidOffset,
  kSavedStateExists,
  kSavedStateOffset,
  kMceCountExists,
  kFixtureRelocationCount,
};

class KernelBtf : public ::testing::TestWithParam<Kernel> {
 protected:
  void SetUp() override {
    if (!CanLoadBpf()) {
      GTEST_SKIP() << "libbpf 1.1 resolves CO-RE relocations only while loading, which needs root";
    }
    const KernelBtfs& btfs = FetchKernelBtfs();
    if (!btfs.skip_reason.empty()) GTEST_SKIP() << btfs.skip_reason;
    ASSERT_EQ(btfs.error, "");

    auto path = btfs.path_by_name.find(GetParam().name);
    if (path == btfs.path_by_name.end() && !GetParam().required) {
      GTEST_SKIP() << "tools/fetch-kernel-btf.sh provided no " << GetParam().name
                   << ", because bookworm-backports cannot be reached";
    }
    ASSERT_NE(path, btfs.path_by_name.end())
        << "tools/fetch-kernel-btf.sh provided no " << GetParam().name;
    btf_path_ = path->second;
  }

  // Assembles the task_struct fixture into `dir`; returns its path.
  std::string AssembleFixture(const TempDir& dir) {
    std::string object = dir.File("task_struct_fields.bpf.o");
    std::string error =
        AssembleBpfIr(SourcePath("tests/e2e/fixtures/task_struct_fields.ll"), object);
    EXPECT_EQ(error, "");
    return object;
  }

  std::string btf_path_;
};

TEST_P(KernelBtf, EverySampleRelocationResolves) {
  TempDir dir;
  size_t total = 0;
  for (const std::string& sample : SampleNames()) {
    std::string object = dir.File(sample + ".bpf.o");
    ASSERT_EQ(Compile(SourcePath("samples/" + sample + ".nu"), object), "");

    CoreCheck check = CheckCoreRelocations(object, btf_path_);
    ASSERT_EQ(check.error, "") << check.log;
    for (const CoreRelocationResult& relocation : check.relocations) {
      EXPECT_TRUE(Resolved(relocation)) << sample << ": " << FormatCoreRelocation(relocation);
    }
    total += check.relocations.size();
  }
  // The samples that emit events carry local_type_id relocations for their
  // records, so none at all means the check read nothing.
  EXPECT_GT(total, 0u);
}

TEST_P(KernelBtf, TaskStructFixtureGetsKernelResults) {
  TempDir dir;
  std::string object = AssembleFixture(dir);
  ASSERT_FALSE(HasFailure());

  CoreCheck check = CheckCoreRelocations(object, btf_path_);
  ASSERT_EQ(check.error, "") << check.log;
  ASSERT_EQ(check.relocations.size(), size_t{kFixtureRelocationCount});
  const std::vector<CoreRelocationResult>& relocations = check.relocations;

  const CoreRelocationResult& real_parent = relocations[kRealParentOffset];
  EXPECT_EQ(real_parent.record.spec, "struct task_struct.real_parent");
  EXPECT_EQ(real_parent.outcome, CoreOutcome::kPatched) << FormatCoreRelocation(real_parent);
  EXPECT_EQ(real_parent.value, TaskStructOffset(btf_path_, "real_parent"));

  const CoreRelocationResult& tgid = relocations[kTgidOffset];
  EXPECT_EQ(tgid.record.spec, "struct task_struct.tgid");
  EXPECT_EQ(tgid.outcome, CoreOutcome::kPatched) << FormatCoreRelocation(tgid);
  EXPECT_EQ(tgid.value, TaskStructOffset(btf_path_, "tgid"));

  const CoreRelocationResult& saved_state_exists = relocations[kSavedStateExists];
  EXPECT_EQ(saved_state_exists.record.kind, BPF_CORE_FIELD_EXISTS);
  EXPECT_EQ(saved_state_exists.outcome, CoreOutcome::kPatched)
      << FormatCoreRelocation(saved_state_exists);
  EXPECT_EQ(saved_state_exists.value, GetParam().has_saved_state ? 1u : 0u);

  // The read of saved_state resolves where the field exists, and is poisoned
  // where it does not, as dead code behind the existence check.
  const CoreRelocationResult& saved_state = relocations[kSavedStateOffset];
  EXPECT_EQ(saved_state.record.spec, "struct task_struct.saved_state");
  if (GetParam().has_saved_state) {
    EXPECT_EQ(saved_state.outcome, CoreOutcome::kPatched) << FormatCoreRelocation(saved_state);
    EXPECT_EQ(saved_state.value, TaskStructOffset(btf_path_, "saved_state"));
  } else {
    EXPECT_EQ(saved_state.outcome, CoreOutcome::kPoisoned) << FormatCoreRelocation(saved_state);
  }

  const CoreRelocationResult& mce_count_exists = relocations[kMceCountExists];
  EXPECT_EQ(mce_count_exists.record.spec, "struct task_struct.mce_count");
  EXPECT_EQ(mce_count_exists.outcome, CoreOutcome::kPatched)
      << FormatCoreRelocation(mce_count_exists);
  EXPECT_EQ(mce_count_exists.value, GetParam().has_mce_count ? 1u : 0u);

  // This machine's verifier accepts the relocated program: the poisoned
  // instruction, if any, is dead code.
  EXPECT_EQ(check.load_error, "") << check.log;
}

TEST_P(KernelBtf, CoreCheckCommandReportsFixture) {
  TempDir dir;
  std::string object = AssembleFixture(dir);
  ASSERT_FALSE(HasFailure());

  RunResult result =
      RunToExit({std::string(NUBPF_BINARY_DIR) + "/nubpf-core-check", object, btf_path_});
  std::string expected_summary = btf_path_ + ": " + (GetParam().has_saved_state ? "5" : "4") +
                                 " of 5 CO-RE relocations resolved";
  EXPECT_NE(result.out.find(expected_summary), std::string::npos) << result.out << result.err;
  EXPECT_NE(result.out.find("read_task_fields insn 5: byte_off struct task_struct.real_parent "
                            "(0:2): resolved to "),
            std::string::npos)
      << result.out;
  EXPECT_EQ(result.exit_code, GetParam().has_saved_state ? 0 : 1) << result.out << result.err;
}

INSTANTIATE_TEST_SUITE_P(Kernels, KernelBtf, ::testing::ValuesIn(kKernels), TestName);

}  // namespace
}  // namespace nubpf::testing
