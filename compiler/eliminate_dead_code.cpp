// Dead code elimination: unreachable blocks, unused values, stores that no
// load reads, and unused locals. Block and local numbers are compacted
// afterwards; value numbers stay, because value_types is indexed by them.

#include "compiler/mir_passes.h"

namespace nubpf::mir {
namespace {

// Drops the blocks that no path from the entry reaches, and renumbers the
// rest in their old order.
bool RemoveUnreachableBlocks(Function* function) {
  std::vector<bool> reached(function->blocks.size(), false);
  std::vector<BlockId> work{0};
  reached[0] = true;
  while (!work.empty()) {
    BlockId block = work.back();
    work.pop_back();
    for (BlockId successor : Successors(function->blocks[block].terminator)) {
      if (reached[successor]) continue;
      reached[successor] = true;
      work.push_back(successor);
    }
  }

  std::vector<BlockId> renumbered(function->blocks.size(), 0);
  std::vector<Block> reachable_blocks;
  for (BlockId block = 0; block < function->blocks.size(); ++block) {
    if (!reached[block]) continue;
    renumbered[block] = static_cast<BlockId>(reachable_blocks.size());
    reachable_blocks.push_back(std::move(function->blocks[block]));
  }
  if (reachable_blocks.size() == function->blocks.size()) {
    function->blocks = std::move(reachable_blocks);
    return false;
  }
  for (Block& block : reachable_blocks) {
    block.terminator.target = renumbered[block.terminator.target];
    block.terminator.else_target = renumbered[block.terminator.else_target];
  }
  function->blocks = std::move(reachable_blocks);
  return true;
}

// Marks the values that effects and branches use, then removes pure
// instructions with unmarked results and stores to locals that no marked
// load reads. A store becomes a root only once a load of its local is
// marked, so the marking repeats until the set of loaded locals is stable.
bool RemoveUnusedInstructions(Function* function) {
  std::vector<const Instruction*> definition(function->value_types.size(), nullptr);
  for (const Block& block : function->blocks) {
    for (const Instruction& instruction : block.instructions) {
      if (instruction.result != kNoValue) definition[instruction.result] = &instruction;
    }
  }

  std::vector<bool> used(function->value_types.size(), false);
  std::vector<bool> loaded(function->locals.size(), false);
  std::vector<ValueId> work;
  auto use = [&](ValueId value) {
    if (value == kNoValue || used[value]) return;
    used[value] = true;
    work.push_back(value);
  };
  auto mark = [&](const Instruction& instruction) {
    for (ValueId operand : instruction.operands) use(operand);
  };

  bool grew = true;
  while (grew) {
    for (const Block& block : function->blocks) {
      for (const Instruction& instruction : block.instructions) {
        // Effects are roots: events, aggregations, stores and globals, and
        // the stores of locals that something loads.
        bool is_root = instruction.opcode == Opcode::kLocalStore
                           ? loaded[instruction.index]
                           : !IsPure(instruction.opcode);
        if (is_root) mark(instruction);
      }
      use(block.terminator.condition);
    }
    while (!work.empty()) {
      ValueId value = work.back();
      work.pop_back();
      if (definition[value] != nullptr) mark(*definition[value]);
    }
    grew = false;
    for (const Block& block : function->blocks) {
      for (const Instruction& instruction : block.instructions) {
        if (instruction.opcode != Opcode::kLocalLoad || !used[instruction.result] ||
            loaded[instruction.index]) {
          continue;
        }
        loaded[instruction.index] = true;
        grew = true;
      }
    }
  }

  bool changed = false;
  for (Block& block : function->blocks) {
    std::vector<Instruction> live;
    for (Instruction& instruction : block.instructions) {
      bool dead = IsPure(instruction.opcode)
                      ? !used[instruction.result]
                      : instruction.opcode == Opcode::kLocalStore && !loaded[instruction.index];
      if (dead) {
        changed = true;
        continue;
      }
      live.push_back(std::move(instruction));
    }
    block.instructions = std::move(live);
  }
  return changed;
}

// Drops locals that no instruction names, and renumbers the rest.
bool RemoveUnusedLocals(Function* function) {
  std::vector<bool> named(function->locals.size(), false);
  for (const Block& block : function->blocks) {
    for (const Instruction& instruction : block.instructions) {
      if (instruction.opcode == Opcode::kLocalLoad ||
          instruction.opcode == Opcode::kLocalStore) {
        named[instruction.index] = true;
      }
    }
  }
  std::vector<uint32_t> renumbered(function->locals.size(), 0);
  std::vector<Type> used_locals;
  for (uint32_t local = 0; local < function->locals.size(); ++local) {
    if (!named[local]) continue;
    renumbered[local] = static_cast<uint32_t>(used_locals.size());
    used_locals.push_back(function->locals[local]);
  }
  if (used_locals.size() == function->locals.size()) return false;
  for (Block& block : function->blocks) {
    for (Instruction& instruction : block.instructions) {
      if (instruction.opcode == Opcode::kLocalLoad ||
          instruction.opcode == Opcode::kLocalStore) {
        instruction.index = renumbered[instruction.index];
      }
    }
  }
  function->locals = std::move(used_locals);
  return true;
}

}  // namespace

bool EliminateDeadCode(Function* function) {
  bool changed = RemoveUnreachableBlocks(function);
  changed = RemoveUnusedInstructions(function) || changed;
  return RemoveUnusedLocals(function) || changed;
}

}  // namespace nubpf::mir
