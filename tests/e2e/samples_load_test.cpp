// Every sample compiles, passes the kernel verifier and attaches.

#include <filesystem>

#include "gtest/gtest.h"
#include "subprocess.h"

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
