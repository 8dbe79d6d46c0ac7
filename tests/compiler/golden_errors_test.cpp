// Error golden files: every tests/golden/errors/NAME.nu, parsed and checked
// against the fake tracefs, reports the diagnostics in NAME.err, rendered
// one line per part as `NAME.nu:LINE:COLUMN: error: ...`. Files named
// kernel_*.nu read the fake kernel BTF (KernelBtfFor).
#include <gtest/gtest.h>

#include "compile_helpers.h"
#include "fake_kernel_btf.h"
#include "tests/support/golden.h"

namespace nubpf::testing {
namespace {

class GoldenErrors : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenErrors, MatchesDiagnostics) {
  static FakeTracefs tracefs;
  static FakeKernelBtf kernel_btf;
  std::string base = GoldenFolder("errors") + "/" + GetParam();
  CheckResult result =
      CheckText(ReadGoldenFile(base + ".nu"), tracefs, GetParam() + ".nu",
                KernelBtfFor(GetParam(), kernel_btf));

  // Each file shows at least one diagnostic. A file that compiles cleanly
  // has lost what it was written to show.
  EXPECT_NE(result.diagnostics, "") << "no diagnostics for " << GetParam();
  ExpectGolden(base + ".err", result.diagnostics);
}

INSTANTIATE_TEST_SUITE_P(
    Files, GoldenErrors,
    ::testing::ValuesIn(ListGoldenCases(GoldenFolder("errors"))),
    [](const auto& info) { return info.param; });

}  // namespace
}  // namespace nubpf::testing
