// Arguments of x86-64 USDT probes. sdt.h writes a probe's arguments into its
// note as a space-separated list of `[-]SIZE@OPERAND`. A leading `-` marks a
// signed value, and SIZE is 1, 2, 4 or 8 bytes. OPERAND is the AT&T
// assembler operand that the compiler chose for the value:
//
//   -4@%edi        a signed 4-byte value in edi, the low half of rdi
//   8@-80(%rbx)    an unsigned 8-byte value in user memory at rbx - 80
//   -4@$-7         the constant -7
//
// A uprobe program finds registers in the `struct pt_regs` that the kernel
// passes it, so a register is given as its byte offset in x86-64's
// pt_regs: r15 0, r14 8, r13 16, r12 24, bp 32, bx 40, r11 48, r10 56,
// r9 64, r8 72, ax 80, cx 88, dx 96, si 104, di 112, orig_ax 120, ip 128,
// cs 136, flags 144, sp 152, ss 160 (Linux's UAPI <asm/ptrace.h>).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nubpf::compiler {

enum class UsdtArgumentKind {
  kRegister,     // in a register
  kMemory,       // in user memory at a base register plus a displacement
  kConstant,     // a constant written in the note
  kUnsupported,  // an operand this parser cannot read, for the reason in `error`
};

struct UsdtArgument {
  UsdtArgumentKind kind = UsdtArgumentKind::kUnsupported;
  std::string text;  // as the note writes it, such as `-4@%edi`
  uint8_t size = 0;  // in bytes: 1, 2, 4 or 8
  bool is_signed = false;
  // kRegister: the offset in struct pt_regs of the value's low byte, so
  // that the value is the `size` bytes there, sign-extended when
  // `is_signed`: 112 for %rdi, %edi and %dil, 81 for %ah.
  // kMemory: the offset of the 8-byte base register, such as 40 for %rbx.
  uint32_t pt_regs_offset = 0;
  int64_t displacement = 0;  // kMemory: bytes added to the base register
  int64_t constant = 0;      // kConstant: the value's 64-bit two's complement
  std::string error;         // kUnsupported: a sentence naming `text`
};

// Parses one argument such as `-4@%edi`. Always returns an argument: one
// that cannot be read has the kind kUnsupported, so that a probe whose
// other arguments are fine can still be used.
UsdtArgument ParseUsdtArgument(std::string_view text);

// Parses a note's whole argument string, such as `-4@%edi 8@-80(%rbx)`.
// An empty string has no arguments.
std::vector<UsdtArgument> ParseUsdtArguments(std::string_view text);

}  // namespace nubpf::compiler
