// The MIR pass pipeline and the helpers its passes share.

#include "compiler/mir_passes.h"

#include <algorithm>

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

std::vector<BlockId> ReversePostOrder(const Function& function) {
  std::vector<bool> visited(function.blocks.size(), false);
  std::vector<BlockId> post_order;
  // Depth-first search without recursion: each frame is a block and the
  // index of its next successor to visit.
  std::vector<std::pair<BlockId, size_t>> frames{{0, 0}};
  visited[0] = true;
  while (!frames.empty()) {
    auto& [block, next] = frames.back();
    std::vector<BlockId> successors = Successors(function.blocks[block].terminator);
    if (next < successors.size()) {
      BlockId successor = successors[next++];
      if (!visited[successor]) {
        visited[successor] = true;
        frames.push_back({successor, 0});
      }
      continue;
    }
    post_order.push_back(block);
    frames.pop_back();
  }
  return {post_order.rbegin(), post_order.rend()};
}

// Tarjan's algorithm for strongly connected components, without recursion:
// a block is in a loop when its component has more than one block or the
// block branches to itself.
std::vector<bool> BlocksInLoops(const Function& function) {
  size_t count = function.blocks.size();
  std::vector<int> index(count, -1);
  std::vector<int> lowest(count, 0);
  std::vector<bool> on_stack(count, false);
  std::vector<BlockId> stack;
  std::vector<bool> in_loop(count, false);
  int next_index = 0;

  struct Frame {
    BlockId block;
    size_t next_successor;
  };
  for (BlockId root = 0; root < count; ++root) {
    if (index[root] >= 0) continue;
    std::vector<Frame> frames{{root, 0}};
    index[root] = lowest[root] = next_index++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!frames.empty()) {
      Frame& frame = frames.back();
      std::vector<BlockId> successors = Successors(function.blocks[frame.block].terminator);
      if (frame.next_successor < successors.size()) {
        BlockId successor = successors[frame.next_successor++];
        if (successor == frame.block) in_loop[successor] = true;
        if (index[successor] < 0) {
          index[successor] = lowest[successor] = next_index++;
          stack.push_back(successor);
          on_stack[successor] = true;
          frames.push_back({successor, 0});
        } else if (on_stack[successor]) {
          lowest[frame.block] = std::min(lowest[frame.block], index[successor]);
        }
        continue;
      }

      BlockId block = frame.block;
      frames.pop_back();
      if (!frames.empty()) {
        lowest[frames.back().block] = std::min(lowest[frames.back().block], lowest[block]);
      }
      if (lowest[block] != index[block]) continue;
      // `block` roots a component: pop it, and mark it when it is a cycle.
      size_t start = stack.size();
      while (stack[start - 1] != block) --start;
      --start;
      bool cycle = stack.size() - start > 1;
      for (size_t i = start; i < stack.size(); ++i) {
        on_stack[stack[i]] = false;
        if (cycle) in_loop[stack[i]] = true;
      }
      stack.resize(start);
    }
  }
  return in_loop;
}

bool IsPure(Opcode opcode) {
  switch (opcode) {
    case Opcode::kLocalStore:
    case Opcode::kEmit:
    case Opcode::kAggregate:
    case Opcode::kStoreUpdate:
    case Opcode::kStoreDelete:
    case Opcode::kGlobalStore:
    case Opcode::kGlobalAdd:
      return false;
    case Opcode::kConstInt:
    case Opcode::kConstBool:
    case Opcode::kContextLoad:
    case Opcode::kProbeValue:
    case Opcode::kCommString:
    case Opcode::kContextCharArray:
    case Opcode::kContextDataLoc:
    case Opcode::kUserString:
    case Opcode::kKernelString:
    case Opcode::kStack:
    case Opcode::kCast:
    case Opcode::kBinary:
    case Opcode::kNot:
    case Opcode::kNegate:
    case Opcode::kStringEqualsLiteral:
    case Opcode::kStringStartsWith:
    case Opcode::kStringEndsWith:
    case Opcode::kStringContains:
    case Opcode::kStringEquals:
    case Opcode::kStringLiteral:
    case Opcode::kStringLength:
    case Opcode::kStringLower:
    case Opcode::kStringUpper:
    case Opcode::kStringSubstring:
    case Opcode::kIntToString:
    case Opcode::kStringToInt:
    case Opcode::kLocalLoad:
      return true;
    // Reads of kernel memory have no effect besides their value: a read
    // that faults gives 0, so an unused one can go like any other.
    case Opcode::kCoreRead:
    case Opcode::kCoreAddress:
    case Opcode::kCoreFieldExists:
    case Opcode::kCoreEnumValue:
    case Opcode::kKernelCharArray:
    case Opcode::kKernelArrayElement:
    case Opcode::kUserRead:
      return true;
    // Reads of a store or a global: an unused one can go, but they are
    // never hoisted or merged, because probes change the values.
    case Opcode::kStoreLookup:
    case Opcode::kStoreLoad:
    case Opcode::kGlobalLoad:
      return true;
    // The loader sets a parameter before the load, so it is never folded,
    // but an unused read can go.
    case Opcode::kParameterLoad:
    case Opcode::kParameterString:
      return true;
  }
  return true;
}

}  // namespace nubpf::mir
