// The samples compile to no more BPF instructions than recorded here, so a
// change that makes the generated code longer shows up as a failure. The
// counts are those of nubpfc with LLVM 19 at -O2; lower the numbers when a
// change makes the code shorter. Each `emit` takes two instructions for the
// time in the record header: the bpf_ktime_get_ns() call and its store.

#include <bpf/libbpf.h>

#include <map>
#include <string>

#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

const std::map<std::string, size_t> kRecordedCounts = {
    {"execsnoop", 63},
    {"failed_opens", 94},
    {"opensnoop", 46},
    {"readlatency", 164},
    {"readsize", 106},
    {"syscount", 105},
    {"topio", 138},
};

// Returns the instructions of every program in `object`, or 0 when libbpf
// cannot open it.
size_t CountInstructions(const std::string& object) {
  bpf_object* bpf = bpf_object__open_file(object.c_str(), nullptr);
  if (bpf == nullptr) return 0;
  size_t count = 0;
  bpf_program* program = nullptr;
  bpf_object__for_each_program(program, bpf) count += bpf_program__insn_cnt(program);
  bpf_object__close(bpf);
  return count;
}

TEST(InstructionCounts, SamplesNoLongerThanRecorded) {
  TempDir dir;
  for (const auto& [sample, recorded] : kRecordedCounts) {
    std::string object = dir.File(sample + ".bpf.o");
    ASSERT_EQ(Compile(SourcePath("samples/" + sample + ".nu"), object), "");
    size_t count = CountInstructions(object);
    ASSERT_GT(count, 0u) << "libbpf could not open " << object;
    EXPECT_LE(count, recorded) << sample << " grew from " << recorded << " to "
                               << count << " instructions";
  }
}

}  // namespace
}  // namespace nubpf::testing
