#include "runtime/verifier_log.h"

#include <gtest/gtest.h>

namespace nubpf::runtime {
namespace {

TEST(VerifierLog, ReasonFollowsLastInstruction) {
  VerifierRejection rejection = ParseVerifierLog(
      "func#0 @0\n"
      "0: R1=ctx() R10=fp0\n"
      "; probe tracepoint:syscalls:sys_enter_getppid {|e| @ scaled.nu:1\n"
      "0: (bf) r6 = r1                       ; R1=ctx() R6_w=ctx()\n"
      "13: (79) r1 = *(u64 *)(r10 -1024)\n"
      "invalid read from stack R10 off=-1024 size=8\n"
      "processed 14 insns (limit 1000000) max_states_per_insn 0 total_states 0\n");
  ASSERT_TRUE(rejection.instruction.has_value());
  EXPECT_EQ(*rejection.instruction, 13u);
  EXPECT_EQ(rejection.reason, "invalid read from stack R10 off=-1024 size=8");
}

TEST(VerifierLog, StateLinesAreNotInstructions) {
  VerifierRejection rejection = ParseVerifierLog(
      "4: (2f) r1 *= r9\n"
      "R9 !read_ok\n"
      "5: R1=scalar()\n");
  ASSERT_TRUE(rejection.instruction.has_value());
  EXPECT_EQ(*rejection.instruction, 4u);
  EXPECT_EQ(rejection.reason, "R9 !read_ok");
}

TEST(VerifierLog, SeveralReasonLinesAreJoined) {
  VerifierRejection rejection = ParseVerifierLog(
      "7: (61) r2 = *(u32 *)(r0 +8)\n"
      "invalid access to map value, value_size=8 off=8 size=4\n"
      "R0 min value is outside of the allowed memory range\n"
      "verification time 12 usec\n"
      "stack depth 8\n");
  EXPECT_EQ(rejection.reason,
            "invalid access to map value, value_size=8 off=8 size=4; R0 min value is outside "
            "of the allowed memory range");
}

TEST(VerifierLog, WithoutInstructionLastLineIsReason) {
  VerifierRejection rejection = ParseVerifierLog("line 1\nR0 invalid mem access 'scalar'\n");
  EXPECT_FALSE(rejection.instruction.has_value());
  EXPECT_EQ(rejection.reason, "R0 invalid mem access 'scalar'");
}

TEST(VerifierLog, EmptyLogHasNoReason) {
  VerifierRejection rejection = ParseVerifierLog("");
  EXPECT_FALSE(rejection.instruction.has_value());
  EXPECT_EQ(rejection.reason, "");
}

}  // namespace
}  // namespace nubpf::runtime
