// An event with 30 computed fields keeps every value live at once. LLVM
// then spills values to the 512-byte stack, and the program must still fit
// it and pass the verifier at both optimization levels.

#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

TEST(ManyValues, ThirtyDivisionsInOneEvent) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string source = dir.File("divisions.nu");
  std::ofstream file(source);
  file << "probe tracepoint:syscalls:sys_exit_lseek {|e|\n    emit {";
  for (int i = 0; i < 30; ++i) {
    file << (i > 0 ? ", " : "") << "e" << i << ": ($e.ret // " << i + 2 << ")";
  }
  file << "}\n}\n";
  file.close();

  for (const char* level : {"0", "2"}) {
    std::string object = dir.File(std::string("divisions-O") + level + ".bpf.o");
    RunResult compiled = RunToExit({NubpfcPath(), source, "-O", level, "-o", object});
    ASSERT_EQ(compiled.exit_code, 0) << "-O" << level << ": " << compiled.err;
    RunResult result = RunToExit({NubpfRunPath(), object, "--duration", "100ms"});
    EXPECT_EQ(result.exit_code, 0) << "-O" << level << ": " << result.err;
  }
}

}  // namespace
}  // namespace nubpf::testing
