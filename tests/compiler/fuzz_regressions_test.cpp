// Inputs the compile fuzzer (tests/fuzz) once failed on, kept in
// tests/fuzz_regressions: each compiles in memory through every stage, as
// in the fuzzer, to an object or to errors in the source, never to an
// internal error. A crash fails the test binary, and the sanitizer build
// (`make test-sanitize`) fails on the memory errors the fuzzer found.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "compiler/kernel_btf.h"
#include "tests/fuzz/compile_text.h"
#include "tests/support/golden.h"

namespace nubpf::testing {
namespace {

std::string RegressionFolder() {
  return std::string(NUBPF_SOURCE_DIR) + "/tests/fuzz_regressions";
}

class FuzzRegressions : public ::testing::TestWithParam<std::string> {};

TEST_P(FuzzRegressions, CompilesWithoutInternalError) {
  std::string error;
  std::unique_ptr<compiler::KernelBtf> btf = compiler::KernelBtf::Load("", &error);
  ASSERT_NE(btf, nullptr) << error;
  std::string path = RegressionFolder() + "/" + GetParam() + ".nu";

  fuzzing::CompileTextResult result = fuzzing::CompileText(ReadGoldenFile(path), path, *btf);
  EXPECT_NE(result.outcome, fuzzing::CompileOutcome::kInternalError) << result.message;
}

INSTANTIATE_TEST_SUITE_P(Files, FuzzRegressions,
                         ::testing::ValuesIn(ListGoldenCases(RegressionFolder())),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace nubpf::testing
