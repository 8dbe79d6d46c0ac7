// A verifier rejection that comes from a CO-RE access to a member the
// running kernel lacks: the help gives the fixes for the probe instead of
// reporting a compiler bug.

#include <gtest/gtest.h>

#include <string>

#include "runtime/load_errors.h"

namespace nubpf::runtime {
namespace {

Metadata GetppidMetadata() {
  ErrorOr<Metadata> metadata = ParseMetadata(
      "nubpf\t1\n"
      "source\tprobe.nu\n"
      "program\tsys_enter_getppid\ttracepoint:syscalls:sys_enter_getppid\t1\t1\n");
  EXPECT_TRUE(metadata.ok());
  return *metadata;
}

TEST(CoreLoadErrors, MissingMemberHelpNamesFixes) {
  std::string log =
      "2: (85) call bpf_get_current_task#35\n"
      "3: <invalid CO-RE relocation>\n"
      "failed to resolve CO-RE relocation <byte_off> [22] struct "
      "task_struct.nubpf_not_in_linux (0:0 @ offset 4)\n";
  Error error = VerifierError("probe.bpf.o", GetppidMetadata(), "sys_enter_getppid", log);
  EXPECT_NE(error.help.find("this kernel lacks a kernel struct member"), std::string::npos)
      << error.help;
  EXPECT_NE(error.help.find("`?`"), std::string::npos) << error.help;
  EXPECT_EQ(error.help.find("bug in nubpfc"), std::string::npos) << error.help;
}

TEST(CoreLoadErrors, OtherRejectionIsCompilerBug) {
  Error error = VerifierError("probe.bpf.o", GetppidMetadata(), "sys_enter_getppid",
                              "R0 invalid mem access 'map_value_or_null'\n");
  EXPECT_NE(error.help.find("bug in nubpfc"), std::string::npos) << error.help;
}

}  // namespace
}  // namespace nubpf::runtime
