// Every sample compiles, passes the kernel verifier and attaches.

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

std::vector<std::string> Samples() {
  std::vector<std::string> names;
  for (const auto& entry :
       std::filesystem::directory_iterator(SourcePath("samples"))) {
    if (entry.path().extension() == ".nu") names.push_back(entry.path().stem());
  }
  std::sort(names.begin(), names.end());
  return names;
}

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

INSTANTIATE_TEST_SUITE_P(Samples, SampleLoads, ::testing::ValuesIn(Samples()),
                         [](const auto& info) { return info.param; });

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
