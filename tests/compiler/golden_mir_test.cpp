// MIR golden files: every tests/golden/mir/NAME.nu, checked against the fake
// tracefs, gives the MIR in NAME.mir before the passes and the MIR in
// NAME.opt.mir after them, as `nubpfc --emit mir -O0` and `-O2` print it.
// Files named kernel_*.nu read the fake kernel BTF (KernelBtfFor).
// Each file shows what one construct or one pass does to a small probe.
#include <gtest/gtest.h>

#include <sstream>

#include "compile_helpers.h"
#include "fake_kernel_btf.h"
#include "compiler/mir_passes.h"
#include "compiler/mir_printer.h"
#include "tests/support/golden.h"

namespace nubpf::testing {
namespace {

class GoldenMir : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenMir, MatchesDump) {
  static FakeTracefs tracefs;
  static FakeKernelBtf kernel_btf;
  std::string base = GoldenFolder("mir") + "/" + GetParam();
  CheckResult result =
      CheckText(ReadGoldenFile(base + ".nu"), tracefs, GetParam() + ".nu",
                KernelBtfFor(GetParam(), kernel_btf));
  ASSERT_TRUE(result.ok) << result.diagnostics;
  ExpectGolden(base + ".mir", result.mir);

  mir::OptimizeModule(&result.module);
  std::ostringstream optimized;
  mir::PrintModule(result.module, optimized);
  ExpectGolden(base + ".opt.mir", optimized.str());
}

INSTANTIATE_TEST_SUITE_P(
    Files, GoldenMir, ::testing::ValuesIn(ListGoldenCases(GoldenFolder("mir"))),
    [](const auto& info) { return info.param; });

}  // namespace
}  // namespace nubpf::testing
