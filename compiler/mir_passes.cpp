// The MIR pass pipeline and the helpers its passes share.

#include "compiler/mir_passes.h"

namespace nubpf::mir {

void OptimizeModule(Module* module) {
  for (Function& function : module->functions) {
    HoistReads(&function);
    // Folding a branch makes blocks unreachable, and removing them can
    // leave a local with one constant store, which folds again.
    bool changed = true;
    while (changed) {
      changed = FoldConstants(&function);
      changed = EliminateDeadCode(&function) || changed;
    }
  }
}

void ReplaceUses(Function* function, const std::vector<ValueId>& replacement) {
  auto replace = [&](ValueId* value) {
    if (*value == kNoValue || *value >= replacement.size()) return;
    if (replacement[*value] != kNoValue) *value = replacement[*value];
  };
  for (Block& block : function->blocks) {
    for (Instruction& instruction : block.instructions) {
      for (ValueId& operand : instruction.operands) replace(&operand);
    }
    replace(&block.terminator.condition);
  }
}

std::vector<BlockId> Successors(const Terminator& terminator) {
  switch (terminator.kind) {
    case TerminatorKind::kReturn:
      return {};
    case TerminatorKind::kJump:
      return {terminator.target};
    case TerminatorKind::kBranch:
      return {terminator.target, terminator.else_target};
  }
  return {};
}

bool IsPure(Opcode opcode) {
  switch (opcode) {
    case Opcode::kLocalStore:
    case Opcode::kEmit:
    case Opcode::kCount:
      return false;
    default:
      return true;
  }
}

}  // namespace nubpf::mir
