// The MIR verifier: checks the invariants the backend relies on, so that a
// checker or pass bug is reported against the MIR instead of as a crash or
// as a program the kernel's verifier rejects.

#include <string>

#include "compiler/mir_passes.h"

namespace nubpf::mir {

std::optional<std::string> VerifyFunction(const Function& function) {
  if (function.blocks.empty()) return "function `" + function.name + "` has no blocks";
  auto where = [&](BlockId block) {
    return "in `" + function.name + "`, bb" + std::to_string(block) + ": ";
  };

  // Targets and locals name things that exist.
  for (BlockId block = 0; block < function.blocks.size(); ++block) {
    for (BlockId successor : Successors(function.blocks[block].terminator)) {
      if (successor >= function.blocks.size()) {
        return where(block) + "jumps to bb" + std::to_string(successor) +
               ", which does not exist";
      }
    }
    for (const Instruction& instruction : function.blocks[block].instructions) {
      bool names_local = instruction.opcode == Opcode::kLocalLoad ||
                         instruction.opcode == Opcode::kLocalStore;
      if (names_local && instruction.index >= function.locals.size()) {
        return where(block) + "names local#" + std::to_string(instruction.index) +
               ", which does not exist";
      }
    }
  }

  // Stack values have no operators: the backend reads them only into an
  // event field, an aggregation key or a store key.
  for (BlockId block = 0; block < function.blocks.size(); ++block) {
    for (const Instruction& instruction : function.blocks[block].instructions) {
      if (instruction.opcode == Opcode::kStack && instruction.type.kind != TypeKind::kStack) {
        return where(block) + "reads a stack into %" + std::to_string(instruction.result) +
               ", which is not a stack";
      }
      bool takes_stacks =
          instruction.opcode == Opcode::kEmit || instruction.opcode == Opcode::kAggregate ||
          instruction.opcode == Opcode::kStoreLookup ||
          instruction.opcode == Opcode::kStoreUpdate ||
          instruction.opcode == Opcode::kStoreDelete;
      for (ValueId operand : instruction.operands) {
        bool is_stack = operand < function.value_types.size() &&
                        function.value_types[operand].kind == TypeKind::kStack;
        if (is_stack && !takes_stacks) {
          return where(block) + "uses the stack %" + std::to_string(operand) +
                 " outside `emit`, aggregations and store keys";
        }
      }
    }
  }

  // In reverse post-order, the order the backend lowers blocks in, every
  // operand and branch condition is defined before it is used.
  std::vector<bool> defined(function.value_types.size(), false);
  auto check = [&](BlockId block, ValueId value) -> std::optional<std::string> {
    if (value >= defined.size()) {
      return where(block) + "uses %" + std::to_string(value) + ", which has no type";
    }
    if (!defined[value]) {
      return where(block) + "uses %" + std::to_string(value) +
             " before a block that dominates it defines it";
    }
    return std::nullopt;
  };
  for (BlockId block : ReversePostOrder(function)) {
    for (const Instruction& instruction : function.blocks[block].instructions) {
      for (ValueId operand : instruction.operands) {
        if (auto error = check(block, operand)) return error;
      }
      if (instruction.result != kNoValue) {
        if (instruction.result >= defined.size()) {
          return where(block) + "defines %" + std::to_string(instruction.result) +
                 ", which has no type";
        }
        defined[instruction.result] = true;
      }
    }
    const Terminator& terminator = function.blocks[block].terminator;
    if (terminator.kind != TerminatorKind::kBranch) continue;
    if (auto error = check(block, terminator.condition)) return error;
    if (function.value_types[terminator.condition].kind != TypeKind::kBool) {
      return where(block) + "branches on %" + std::to_string(terminator.condition) +
             ", which is not a bool";
    }
  }
  return std::nullopt;
}

}  // namespace nubpf::mir
