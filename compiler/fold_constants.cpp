// Constant folding and constant propagation through locals.
//
// A value is known when its instruction is a constant or an operator on
// known values. A local has a known value at a block's entry when every
// path to the block last stores the same known value in it. The backend
// starts every integer local at 0, which is their value at the entry. Loads of a
// known local become constants, and branches on a known condition become
// jumps.

#include <optional>

#include "compiler/mir_passes.h"

namespace nubpf::mir {
namespace {

// Returns `value` as a value of `type`: wrapped to the width, sign-extended for
// signed types, zero-extended for unsigned ones, and 0 or 1 for bools.
int64_t Normalize(uint64_t value, const Type& type) {
  if (type.kind == TypeKind::kBool) return static_cast<int64_t>(value & 1);
  if (type.bits >= 64) return static_cast<int64_t>(value);
  uint64_t mask = (uint64_t{1} << type.bits) - 1;
  value &= mask;
  uint64_t sign = uint64_t{1} << (type.bits - 1);
  if (type.is_signed && (value & sign) != 0) value |= ~mask;
  return static_cast<int64_t>(value);
}

// Floor division and modulo as the backend lowers them: a divisor of 0
// gives 0, and the quotient rounds toward negative infinity.
int64_t FloorDivide(int64_t lhs, int64_t rhs, const Type& type, bool remainder) {
  if (rhs == 0) return 0;
  if (!type.is_signed) {
    uint64_t a = static_cast<uint64_t>(lhs);
    uint64_t b = static_cast<uint64_t>(rhs);
    return static_cast<int64_t>(remainder ? a % b : a / b);
  }
  if (rhs == -1) {
    // INT64_MIN / -1 overflows in C++; the generated code wraps.
    return remainder ? 0 : static_cast<int64_t>(0 - static_cast<uint64_t>(lhs));
  }
  int64_t quotient = lhs / rhs;
  int64_t rest = lhs % rhs;
  if (rest != 0 && (rest < 0) != (rhs < 0)) {
    quotient -= 1;
    rest += rhs;
  }
  return remainder ? rest : quotient;
}

}  // namespace

int64_t EvaluateBinary(BinaryOp op, const Type& type, int64_t lhs, int64_t rhs) {
  uint64_t a = static_cast<uint64_t>(lhs);
  uint64_t b = static_cast<uint64_t>(rhs);
  unsigned width = type.kind == TypeKind::kBool ? 1 : type.bits;
  uint64_t amount = b & (width - 1);
  switch (op) {
    case BinaryOp::kAdd:
      return Normalize(a + b, type);
    case BinaryOp::kSubtract:
      return Normalize(a - b, type);
    case BinaryOp::kMultiply:
      return Normalize(a * b, type);
    case BinaryOp::kFloorDivide:
      return Normalize(static_cast<uint64_t>(FloorDivide(lhs, rhs, type, false)), type);
    case BinaryOp::kFloorModulo:
      return Normalize(static_cast<uint64_t>(FloorDivide(lhs, rhs, type, true)), type);
    case BinaryOp::kBitAnd:
      return Normalize(a & b, type);
    case BinaryOp::kBitOr:
      return Normalize(a | b, type);
    case BinaryOp::kBitXor:
      return Normalize(a ^ b, type);
    case BinaryOp::kShiftLeft:
      return Normalize(a << amount, type);
    case BinaryOp::kShiftRight:
      // Normalized values are extended to 64 bits by the type's sign, so a
      // 64-bit shift of the right kind gives the narrow type's result.
      return type.is_signed ? Normalize(static_cast<uint64_t>(lhs >> amount), type)
                            : Normalize(a >> amount, type);
    case BinaryOp::kEqual:
      return lhs == rhs;
    case BinaryOp::kNotEqual:
      return lhs != rhs;
    case BinaryOp::kLess:
      return type.is_signed ? lhs < rhs : a < b;
    case BinaryOp::kLessEqual:
      return type.is_signed ? lhs <= rhs : a <= b;
    case BinaryOp::kGreater:
      return type.is_signed ? lhs > rhs : a > b;
    case BinaryOp::kGreaterEqual:
      return type.is_signed ? lhs >= rhs : a >= b;
  }
  return 0;
}

namespace {

// The analysis result for a local: unreached (no path reaches the point
// yet), one constant, or unknown because paths disagree.
struct LocalState {
  enum class Kind { kUnreached, kConstant, kUnknown };
  Kind kind = Kind::kUnreached;
  int64_t value = 0;

  bool operator==(const LocalState& other) const {
    return kind == other.kind && (kind != Kind::kConstant || value == other.value);
  }
};

LocalState Meet(const LocalState& a, const LocalState& b) {
  if (a.kind == LocalState::Kind::kUnreached) return b;
  if (b.kind == LocalState::Kind::kUnreached) return a;
  if (a == b) return a;
  return {LocalState::Kind::kUnknown, 0};
}

class ConstantFolder {
 public:
  explicit ConstantFolder(Function* function)
      : function_(*function), known_(function->value_types.size()) {}

  bool Run() {
    bool changed = false;
    bool progress = true;
    while (progress) {
      FoldInstructions();
      progress = PropagateLocals();
      changed = changed || progress;
    }
    return FoldBranches() || changed_ || changed;
  }

 private:
  // Folds every instruction whose operands are known, until none is left.
  void FoldInstructions() {
    bool progress = true;
    while (progress) {
      progress = false;
      for (Block& block : function_.blocks) {
        for (Instruction& instruction : block.instructions) {
          progress = Fold(instruction) || progress;
        }
      }
    }
  }

  // Records a constant's value, or rewrites an operator on known values
  // into a constant. Returns true when a value became known; `changed_`
  // records rewrites only.
  bool Fold(Instruction& instruction) {
    if (instruction.result == kNoValue || known_[instruction.result]) return false;
    std::optional<int64_t> value;
    switch (instruction.opcode) {
      case Opcode::kConstInt:
      case Opcode::kConstBool:
        known_[instruction.result] = Normalize(
            static_cast<uint64_t>(instruction.int_value), instruction.type);
        return true;
      case Opcode::kBinary:
        if (Known(0, instruction) && Known(1, instruction)) {
          const Type& operand_type = function_.value_types[instruction.operands[0]];
          value = Normalize(
              static_cast<uint64_t>(EvaluateBinary(
                  instruction.binary_op, operand_type,
                  *known_[instruction.operands[0]], *known_[instruction.operands[1]])),
              instruction.type);
        }
        break;
      case Opcode::kCast:
        if (Known(0, instruction)) {
          value = Normalize(static_cast<uint64_t>(*known_[instruction.operands[0]]),
                            instruction.type);
        }
        break;
      case Opcode::kNot:
        if (Known(0, instruction)) value = *known_[instruction.operands[0]] ^ 1;
        break;
      case Opcode::kNegate:
        if (Known(0, instruction)) {
          value = Normalize(0 - static_cast<uint64_t>(*known_[instruction.operands[0]]),
                            instruction.type);
        }
        break;
      default:
        break;
    }
    if (!value) return false;
    MakeConstant(instruction, *value);
    return true;
  }

  bool Known(size_t operand, const Instruction& instruction) const {
    return known_[instruction.operands[operand]].has_value();
  }

  void MakeConstant(Instruction& instruction, int64_t value) {
    changed_ = true;
    instruction.opcode = instruction.type.kind == TypeKind::kBool ? Opcode::kConstBool
                                                                  : Opcode::kConstInt;
    instruction.operands.clear();
    instruction.int_value = value;
    known_[instruction.result] = value;
  }

  // Finds each block's local states at entry by iterating to a fixed point,
  // then turns loads of known integer and bool locals into constants.
  bool PropagateLocals() {
    size_t block_count = function_.blocks.size();
    size_t local_count = function_.locals.size();
    if (local_count == 0) return false;
    std::vector<std::vector<LocalState>> entry(
        block_count, std::vector<LocalState>(local_count));
    for (LocalState& state : entry[0]) state = {LocalState::Kind::kConstant, 0};

    bool progress = true;
    while (progress) {
      progress = false;
      for (BlockId block = 0; block < block_count; ++block) {
        std::vector<LocalState> state = entry[block];
        Transfer(function_.blocks[block], &state, /*rewrite=*/false);
        for (BlockId successor : Successors(function_.blocks[block].terminator)) {
          for (size_t local = 0; local < local_count; ++local) {
            LocalState met = Meet(entry[successor][local], state[local]);
            if (met == entry[successor][local]) continue;
            entry[successor][local] = met;
            progress = true;
          }
        }
      }
    }

    bool changed = false;
    for (BlockId block = 0; block < block_count; ++block) {
      std::vector<LocalState> state = entry[block];
      changed = Transfer(function_.blocks[block], &state, /*rewrite=*/true) || changed;
    }
    return changed;
  }

  // Walks a block's stores and loads from the local states at its entry.
  // With `rewrite`, loads of a constant local become that constant.
  bool Transfer(Block& block, std::vector<LocalState>* state, bool rewrite) {
    bool changed = false;
    for (Instruction& instruction : block.instructions) {
      if (instruction.opcode == Opcode::kLocalStore) {
        const std::optional<int64_t>& value = known_[instruction.operands[0]];
        (*state)[instruction.index] =
            value ? LocalState{LocalState::Kind::kConstant, *value}
                  : LocalState{LocalState::Kind::kUnknown, 0};
      } else if (rewrite && instruction.opcode == Opcode::kLocalLoad &&
                 instruction.type.kind != TypeKind::kString &&
                 (*state)[instruction.index].kind == LocalState::Kind::kConstant) {
        MakeConstant(instruction, Normalize(static_cast<uint64_t>(
                                                (*state)[instruction.index].value),
                                            instruction.type));
        changed = true;
      }
    }
    return changed;
  }

  bool FoldBranches() {
    bool changed = false;
    for (Block& block : function_.blocks) {
      Terminator& terminator = block.terminator;
      if (terminator.kind != TerminatorKind::kBranch) continue;
      const std::optional<int64_t>& condition = known_[terminator.condition];
      if (!condition) continue;
      BlockId target = *condition != 0 ? terminator.target : terminator.else_target;
      terminator = {TerminatorKind::kJump, kNoValue, target, 0};
      changed = true;
    }
    return changed;
  }

  Function& function_;
  std::vector<std::optional<int64_t>> known_;
  bool changed_ = false;
};

}  // namespace

bool FoldConstants(Function* function) { return ConstantFolder(function).Run(); }

}  // namespace nubpf::mir
