// x86-64 USDT argument specs: sizes, registers as pt_regs offsets, memory
// operands, constants, and the operand forms that are rejected.

#include "compiler/usdt_arguments.h"

#include <cstddef>

#include "gtest/gtest.h"

#if defined(__x86_64__)
#include <asm/ptrace.h>
#endif

namespace nubpf::compiler {
namespace {

TEST(UsdtArguments, PtRegsOffsetsOfRegisters) {
#if !defined(__x86_64__)
  GTEST_SKIP() << "the x86-64 struct pt_regs is only in this machine's headers on x86-64";
#else
  struct RegisterCase {
    const char* names[4];
    size_t offset;
  };
  const RegisterCase cases[] = {
      {{"rax", "eax", "ax", "al"}, offsetof(struct pt_regs, rax)},
      {{"rbx", "ebx", "bx", "bl"}, offsetof(struct pt_regs, rbx)},
      {{"rcx", "ecx", "cx", "cl"}, offsetof(struct pt_regs, rcx)},
      {{"rdx", "edx", "dx", "dl"}, offsetof(struct pt_regs, rdx)},
      {{"rsi", "esi", "si", "sil"}, offsetof(struct pt_regs, rsi)},
      {{"rdi", "edi", "di", "dil"}, offsetof(struct pt_regs, rdi)},
      {{"rbp", "ebp", "bp", "bpl"}, offsetof(struct pt_regs, rbp)},
      {{"rsp", "esp", "sp", "spl"}, offsetof(struct pt_regs, rsp)},
      {{"r8", "r8d", "r8w", "r8b"}, offsetof(struct pt_regs, r8)},
      {{"r9", "r9d", "r9w", "r9b"}, offsetof(struct pt_regs, r9)},
      {{"r10", "r10d", "r10w", "r10b"}, offsetof(struct pt_regs, r10)},
      {{"r11", "r11d", "r11w", "r11b"}, offsetof(struct pt_regs, r11)},
      {{"r12", "r12d", "r12w", "r12b"}, offsetof(struct pt_regs, r12)},
      {{"r13", "r13d", "r13w", "r13b"}, offsetof(struct pt_regs, r13)},
      {{"r14", "r14d", "r14w", "r14b"}, offsetof(struct pt_regs, r14)},
      {{"r15", "r15d", "r15w", "r15b"}, offsetof(struct pt_regs, r15)},
  };
  const char* const sizes[] = {"8", "4", "2", "1"};
  for (const RegisterCase& test : cases) {
    for (int column = 0; column < 4; ++column) {
      std::string text = std::string(sizes[column]) + "@%" + test.names[column];
      UsdtArgument argument = ParseUsdtArgument(text);
      ASSERT_EQ(argument.kind, UsdtArgumentKind::kRegister) << text << ": " << argument.error;
      EXPECT_EQ(argument.pt_regs_offset, test.offset) << text;
      EXPECT_EQ(argument.size, sizes[column][0] - '0') << text;
    }
  }

  // The second byte of ax, bx, cx and dx.
  const std::pair<const char*, size_t> high_bytes[] = {
      {"1@%ah", offsetof(struct pt_regs, rax) + 1},
      {"1@%bh", offsetof(struct pt_regs, rbx) + 1},
      {"1@%ch", offsetof(struct pt_regs, rcx) + 1},
      {"1@%dh", offsetof(struct pt_regs, rdx) + 1},
  };
  for (const auto& [text, offset] : high_bytes) {
    UsdtArgument argument = ParseUsdtArgument(text);
    ASSERT_EQ(argument.kind, UsdtArgumentKind::kRegister) << text << ": " << argument.error;
    EXPECT_EQ(argument.pt_regs_offset, offset) << text;
  }
#endif
}

TEST(UsdtArguments, ReadsSizeAndSign) {
  struct SizeCase {
    const char* text;
    uint8_t size;
    bool is_signed;
  };
  const SizeCase cases[] = {
      {"-4@%edi", 4, true},  {"8@%rsi", 8, false}, {"-2@%dx", 2, true},
      {"1@%cl", 1, false},   {"-1@%cl", 1, true},  {"4@%r8d", 4, false},
      {"-8@%rax", 8, true},  {"-4@%rax", 4, true}, {"8@%r8d", 8, false},
  };
  for (const SizeCase& test : cases) {
    UsdtArgument argument = ParseUsdtArgument(test.text);
    ASSERT_EQ(argument.kind, UsdtArgumentKind::kRegister) << test.text << ": " << argument.error;
    EXPECT_EQ(argument.text, test.text);
    EXPECT_EQ(argument.size, test.size) << test.text;
    EXPECT_EQ(argument.is_signed, test.is_signed) << test.text;
  }
}

TEST(UsdtArguments, ReadsMemoryOperands) {
  struct MemoryCase {
    const char* text;
    uint32_t base_offset;
    int64_t displacement;
  };
  const MemoryCase cases[] = {
      {"-4@8(%rbx)", 40, 8},      {"8@-16(%r12)", 24, -16},  {"2@(%rbx)", 40, 0},
      {"8@0x10(%rsp)", 152, 16},  {"8@-0x50(%rbp)", 32, -80}, {"8@-80(%rbx)", 40, -80},
      {"1@2147483647(%r15)", 0, 2147483647},
  };
  for (const MemoryCase& test : cases) {
    UsdtArgument argument = ParseUsdtArgument(test.text);
    ASSERT_EQ(argument.kind, UsdtArgumentKind::kMemory) << test.text << ": " << argument.error;
    EXPECT_EQ(argument.pt_regs_offset, test.base_offset) << test.text;
    EXPECT_EQ(argument.displacement, test.displacement) << test.text;
  }
}

TEST(UsdtArguments, ReadsConstants) {
  struct ConstantCase {
    const char* text;
    int64_t value;
  };
  const ConstantCase cases[] = {
      {"4@$42", 42},
      {"-8@$-7", -7},
      {"8@$0xff", 255},
      {"8@$18446744073709551615", -1},
      {"-8@$-9223372036854775808", INT64_MIN},
      {"4@$0", 0},
  };
  for (const ConstantCase& test : cases) {
    UsdtArgument argument = ParseUsdtArgument(test.text);
    ASSERT_EQ(argument.kind, UsdtArgumentKind::kConstant) << test.text << ": " << argument.error;
    EXPECT_EQ(argument.constant, test.value) << test.text;
  }
}

TEST(UsdtArguments, SplitsArgumentString) {
  std::vector<UsdtArgument> arguments = ParseUsdtArguments("-4@%edi  8@-80(%rbx) 4@$1");
  ASSERT_EQ(arguments.size(), 3u);
  EXPECT_EQ(arguments[0].text, "-4@%edi");
  EXPECT_EQ(arguments[0].kind, UsdtArgumentKind::kRegister);
  EXPECT_EQ(arguments[1].text, "8@-80(%rbx)");
  EXPECT_EQ(arguments[1].kind, UsdtArgumentKind::kMemory);
  EXPECT_EQ(arguments[2].text, "4@$1");
  EXPECT_EQ(arguments[2].kind, UsdtArgumentKind::kConstant);

  EXPECT_TRUE(ParseUsdtArguments("").empty());
  EXPECT_TRUE(ParseUsdtArguments("  ").empty());

  // One unreadable argument leaves the others usable.
  arguments = ParseUsdtArguments("8@(%rax,%rcx,8) 8@%rdx");
  ASSERT_EQ(arguments.size(), 2u);
  EXPECT_EQ(arguments[0].kind, UsdtArgumentKind::kUnsupported);
  EXPECT_EQ(arguments[1].kind, UsdtArgumentKind::kRegister);
}

TEST(UsdtArguments, RejectsOperandsWithReasons) {
  struct ErrorCase {
    const char* text;
    const char* error;
  };
  const ErrorCase cases[] = {
      {"%rdi", "USDT argument `%rdi` is invalid: it lacks the `SIZE@` prefix, as in `8@%rdi`"},
      {"3@%rdi", "USDT argument `3@%rdi` is invalid: its size must be 1, 2, 4 or 8 bytes"},
      {"@%rdi", "USDT argument `@%rdi` is invalid: its size must be 1, 2, 4 or 8 bytes"},
      {"-@%rdi", "USDT argument `-@%rdi` is invalid: its size must be 1, 2, 4 or 8 bytes"},
      {"16@%rdi", "USDT argument `16@%rdi` is invalid: its size must be 1, 2, 4 or 8 bytes"},
      {"8@", "USDT argument `8@` is invalid: it has no operand after `@`"},
      {"8@%xyz", "USDT argument `8@%xyz` names an unknown register `%xyz`"},
      {"8@%xmm0", "USDT argument `8@%xmm0` names an unknown register `%xmm0`"},
      {"2@%al", "USDT argument `2@%al` is invalid: 2 bytes do not fit in the 1-byte register "
                "`%al`"},
      {"8@%ax", "USDT argument `8@%ax` is invalid: 8 bytes do not fit in the 2-byte register "
                "`%ax`"},
      {"-8@%edi", "USDT argument `-8@%edi` is invalid: x86-64 zero-extends the 4-byte "
                  "register `%edi`, so it cannot hold a signed 8-byte value"},
      {"8@%di", "USDT argument `8@%di` is invalid: 8 bytes do not fit in the 2-byte register "
                "`%di`"},
      {"8@(%rax,%rcx,8)",
       "USDT argument `8@(%rax,%rcx,8)` uses an index register, which is not supported yet"},
      {"8@16(,%rcx,8)",
       "USDT argument `8@16(,%rcx,8)` uses an index register, which is not supported yet"},
      {"4@nubpf_test_counter(%rip)",
       "USDT argument `4@nubpf_test_counter(%rip)` is relative to `%rip`, which is not "
       "supported yet"},
      {"8@8(%rip)",
       "USDT argument `8@8(%rip)` is relative to `%rip`, which is not supported yet"},
      {"8@counter+8(%rax)",
       "USDT argument `8@counter+8(%rax)` has the displacement `counter+8`, which is not a "
       "number; symbols there are not supported yet"},
      {"8@8(%eax)",
       "USDT argument `8@8(%eax)` is invalid: its base register `%eax` is not a 64-bit "
       "register"},
      {"8@8(%foo)", "USDT argument `8@8(%foo)` names an unknown register `%foo`"},
      {"8@8(rax)", "USDT argument `8@8(rax)` is invalid: its base `rax` is not a register"},
      {"8@8(%rax", "USDT argument `8@8(%rax` is invalid: its memory operand does not end in `)`"},
      {"8@%fs:40", "USDT argument `8@%fs:40` uses a segment register, which is not supported "
                   "yet"},
      {"8@counter", "USDT argument `8@counter` reads memory at a fixed address, which is not "
                    "supported yet"},
      {"8@$counter", "USDT argument `8@$counter` is the address of `counter`, and symbol "
                     "constants are not supported yet"},
      {"8@$", "USDT argument `8@$` is invalid: `$` has no value"},
  };
  for (const ErrorCase& test : cases) {
    UsdtArgument argument = ParseUsdtArgument(test.text);
    EXPECT_EQ(argument.kind, UsdtArgumentKind::kUnsupported) << test.text;
    EXPECT_EQ(argument.error, test.error) << test.text;
    EXPECT_EQ(argument.text, test.text);
  }
}

}  // namespace
}  // namespace nubpf::compiler
