// Every sample compiles, passes the kernel verifier and attaches.

#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

class SampleLoads : public ::testing::TestWithParam<std::string> {};

TEST_P(SampleLoads, PassesVerifierAndAttaches) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string object = dir.File(GetParam() + ".bpf.o");
  ASSERT_EQ(Compile(SourcePath("samples/" + GetParam() + ".nu"), object), "");

  RunResult result = RunToExit({NubpfRunPath(), object, "--duration", "200ms"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("attached"), std::string::npos) << result.err;
}

INSTANTIATE_TEST_SUITE_P(Samples, SampleLoads, ::testing::ValuesIn(SampleNames()),
                         [](const auto& info) { return info.param; });

// Each sample at each BPF instruction set that `--mcpu` offers. The kernels
// these tests run on accept all four.
class SampleLoadsForCpu
    : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {};

TEST_P(SampleLoadsForCpu, PassesVerifier) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  const auto& [sample, cpu] = GetParam();
  TempDir dir;
  std::string object = dir.File(sample + ".bpf.o");
  RunResult compiled = RunToExit({NubpfcPath(), SourcePath("samples/" + sample + ".nu"),
                                  "--mcpu", cpu, "-o", object});
  ASSERT_EQ(compiled.exit_code, 0) << compiled.err;

  RunResult result = RunToExit({NubpfRunPath(), object, "--duration", "100ms"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

INSTANTIATE_TEST_SUITE_P(
    Samples, SampleLoadsForCpu,
    ::testing::Combine(::testing::ValuesIn(SampleNames()),
                       ::testing::Values("v1", "v2", "v3", "v4")),
    [](const auto& info) {
      return std::get<0>(info.param) + "_" + std::get<1>(info.param);
    });

}  // namespace
}  // namespace nubpf::testing

namespace nubpf::testing {
namespace {

// A 4096-byte string key is zeroed in chunks and read into scratch memory;
// both must still pass the verifier.
TEST(LargeStrings, LongStringKeyLoads) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string source = dir.File("keys.nu");
  std::ofstream(source) << "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
                           "    $e.filename | count\n"
                           "}\n";
  std::string object = dir.File("keys.bpf.o");
  RunResult compiled = RunToExit(
      {NubpfcPath(), source, "--max-strlen", "4096", "-o", object});
  ASSERT_EQ(compiled.exit_code, 0) << compiled.err;

  RunResult result = RunToExit({NubpfRunPath(), object, "--duration", "200ms"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("attached"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace nubpf::testing
