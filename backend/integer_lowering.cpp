// Lowering of MIR operators on integers and bools.

#include "backend/function_lowering.h"

namespace nubpf::backend {

llvm::Value* FunctionLowering::LowerBinary(const mir::Instruction& instruction) {
  llvm::Value* lhs = values_[instruction.operands[0]];
  llvm::Value* rhs = values_[instruction.operands[1]];
  bool is_signed = function_.value_types[instruction.operands[0]].is_signed;
  switch (instruction.binary_op) {
    case mir::BinaryOp::kAdd:
      return builder_.CreateAdd(lhs, rhs);
    case mir::BinaryOp::kSubtract:
      return builder_.CreateSub(lhs, rhs);
    case mir::BinaryOp::kMultiply:
      return builder_.CreateMul(lhs, rhs);
    case mir::BinaryOp::kFloorDivide:
      return LowerDivision(lhs, rhs, is_signed, /*want_remainder=*/false);
    case mir::BinaryOp::kFloorModulo:
      return LowerDivision(lhs, rhs, is_signed, /*want_remainder=*/true);
    case mir::BinaryOp::kBitAnd:
      return builder_.CreateAnd(lhs, rhs);
    case mir::BinaryOp::kBitOr:
      return builder_.CreateOr(lhs, rhs);
    case mir::BinaryOp::kBitXor:
      return builder_.CreateXor(lhs, rhs);
    case mir::BinaryOp::kShiftLeft:
    case mir::BinaryOp::kShiftRight: {
      // A shift by the width or more is poison in LLVM IR; BPF itself takes
      // the amount modulo 64, and so does the MIR.
      unsigned bits = lhs->getType()->getIntegerBitWidth();
      llvm::Value* amount = builder_.CreateAnd(
          rhs, llvm::ConstantInt::get(rhs->getType(), bits - 1));
      if (instruction.binary_op == mir::BinaryOp::kShiftLeft) {
        return builder_.CreateShl(lhs, amount);
      }
      return is_signed ? builder_.CreateAShr(lhs, amount)
                       : builder_.CreateLShr(lhs, amount);
    }
    case mir::BinaryOp::kEqual:
      return builder_.CreateICmpEQ(lhs, rhs);
    case mir::BinaryOp::kNotEqual:
      return builder_.CreateICmpNE(lhs, rhs);
    case mir::BinaryOp::kLess:
      return is_signed ? builder_.CreateICmpSLT(lhs, rhs)
                       : builder_.CreateICmpULT(lhs, rhs);
    case mir::BinaryOp::kLessEqual:
      return is_signed ? builder_.CreateICmpSLE(lhs, rhs)
                       : builder_.CreateICmpULE(lhs, rhs);
    case mir::BinaryOp::kGreater:
      return is_signed ? builder_.CreateICmpSGT(lhs, rhs)
                       : builder_.CreateICmpUGT(lhs, rhs);
    case mir::BinaryOp::kGreaterEqual:
      return is_signed ? builder_.CreateICmpSGE(lhs, rhs)
                       : builder_.CreateICmpUGE(lhs, rhs);
  }
  llvm_unreachable("unknown binary operator");
}

// Floor division and modulo, as Nushell's `//` and `mod` on integers.
// BPF before cpu v4 divides only unsigned numbers, and a kernel that
// predates v4 rejects its signed division, so a signed division divides the
// magnitudes and fixes the sign and the rounding afterwards. A divisor of 0
// gives 0 for both: BPF would give 0 for `//` but the dividend for `mod`.
llvm::Value* FunctionLowering::LowerDivision(llvm::Value* lhs, llvm::Value* rhs,
                                             bool is_signed,
                                             bool want_remainder) {
  llvm::Type* type = lhs->getType();
  llvm::Value* zero = llvm::ConstantInt::get(type, 0);
  llvm::Value* divisor_is_zero = builder_.CreateICmpEQ(rhs, zero);
  // Division by 0 is undefined behaviour in LLVM IR even when its result is
  // not used, so the divisor becomes 1 first.
  rhs = builder_.CreateSelect(divisor_is_zero, llvm::ConstantInt::get(type, 1), rhs);
  if (!is_signed) {
    llvm::Value* result = want_remainder ? builder_.CreateURem(lhs, rhs)
                                         : builder_.CreateUDiv(lhs, rhs);
    return builder_.CreateSelect(divisor_is_zero, zero, result);
  }

  llvm::Value* lhs_negative = builder_.CreateICmpSLT(lhs, zero);
  llvm::Value* rhs_negative = builder_.CreateICmpSLT(rhs, zero);
  llvm::Value* lhs_magnitude =
      builder_.CreateSelect(lhs_negative, builder_.CreateNeg(lhs), lhs);
  llvm::Value* rhs_magnitude =
      builder_.CreateSelect(rhs_negative, builder_.CreateNeg(rhs), rhs);
  llvm::Value* quotient_magnitude = builder_.CreateUDiv(lhs_magnitude, rhs_magnitude);
  llvm::Value* remainder_magnitude =
      builder_.CreateURem(lhs_magnitude, rhs_magnitude);

  // Truncated results first: the quotient is negative when the signs
  // differ, and the remainder takes the dividend's sign.
  llvm::Value* signs_differ = builder_.CreateXor(lhs_negative, rhs_negative);
  llvm::Value* quotient = builder_.CreateSelect(
      signs_differ, builder_.CreateNeg(quotient_magnitude), quotient_magnitude);
  llvm::Value* remainder = builder_.CreateSelect(
      lhs_negative, builder_.CreateNeg(remainder_magnitude), remainder_magnitude);

  // Floor rounding moves an inexact quotient with differing signs down by
  // one, and its remainder over to the divisor's sign.
  llvm::Value* inexact = builder_.CreateICmpNE(remainder, zero);
  llvm::Value* adjust = builder_.CreateAnd(inexact, signs_differ);
  llvm::Value* result =
      want_remainder
          ? builder_.CreateSelect(adjust, builder_.CreateAdd(remainder, rhs),
                                  remainder)
          : builder_.CreateSelect(
                adjust, builder_.CreateSub(quotient, llvm::ConstantInt::get(type, 1)),
                quotient);
  return builder_.CreateSelect(divisor_is_zero, zero, result);
}

}  // namespace nubpf::backend
