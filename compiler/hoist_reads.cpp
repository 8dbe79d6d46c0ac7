// Hoisting of context loads, helper values and CO-RE reads to the entry
// block, one read for each field, value or kernel member outside loops.
// The entry block dominates every other block, so the first read's value
// reaches every use.

#include <map>
#include <tuple>

#include "compiler/mir_passes.h"

namespace nubpf::mir {

namespace {

// The key under which two instructions read the same thing: the opcode,
// the context offset or helper value, the type, the base address of a
// CO-RE access, and the access path or enumerator.
using ReadKey = std::tuple<Opcode, uint32_t, ProbeValue, std::string, ValueId, std::string>;

std::string AccessKey(const Instruction& instruction) {
  std::string key = std::to_string(instruction.access.root);
  for (uint32_t step : instruction.access.path) key += "." + std::to_string(step);
  if (instruction.opcode == Opcode::kCoreEnumValue) {
    key = std::to_string(instruction.index) + ":" + instruction.text;
  }
  return key;
}

}  // namespace

bool HoistReads(Function* function) {
  std::map<ReadKey, ValueId> first_read;
  std::vector<ValueId> replacement(function->value_types.size(), kNoValue);
  std::vector<bool> is_hoisted(function->value_types.size(), false);
  std::vector<Instruction> hoisted;

  // A CO-RE read or address moves when its base address is a value that
  // moved before it, such as `$e.task`. One that a field-exists check
  // guards stays under the check, where libbpf needs it.
  auto base_is_hoisted = [&](const Instruction& instruction) {
    ValueId base = instruction.operands[0];
    if (replacement[base] != kNoValue) base = replacement[base];
    return is_hoisted[base];
  };
  auto is_read = [&](const Instruction& instruction) {
    Opcode opcode = instruction.opcode;
    if (opcode == Opcode::kCoreRead || opcode == Opcode::kCoreAddress) {
      return !instruction.access.guarded && base_is_hoisted(instruction);
    }
    return opcode == Opcode::kContextLoad || opcode == Opcode::kProbeValue ||
           opcode == Opcode::kCoreFieldExists || opcode == Opcode::kCoreEnumValue;
  };

  std::vector<bool> in_loop = BlocksInLoops(*function);
  // Blocks in their order, as the checker made them: a read whose base
  // comes later in that order, in a block that dominates it, stays.
  for (BlockId id = 0; id < function->blocks.size(); ++id) {
    Block& block = function->blocks[id];
    std::vector<Instruction> staying;
    for (Instruction& instruction : block.instructions) {
      if (in_loop[id] || !is_read(instruction)) {
        staying.push_back(std::move(instruction));
        continue;
      }
      ValueId base = kNoValue;
      if (!instruction.operands.empty()) {
        base = instruction.operands[0];
        if (replacement[base] != kNoValue) base = replacement[base];
        instruction.operands[0] = base;
      }
      ReadKey key{instruction.opcode, instruction.offset, instruction.probe_value,
                  instruction.type.ToString(), base, AccessKey(instruction)};
      auto [found, inserted] = first_read.emplace(key, instruction.result);
      if (inserted) {
        is_hoisted[instruction.result] = true;
        hoisted.push_back(std::move(instruction));
      } else {
        replacement[instruction.result] = found->second;
      }
    }
    block.instructions = std::move(staying);
  }
  if (hoisted.empty()) return false;

  std::vector<Instruction>& entry = function->blocks[0].instructions;
  entry.insert(entry.begin(), std::make_move_iterator(hoisted.begin()),
               std::make_move_iterator(hoisted.end()));
  ReplaceUses(function, replacement);
  return true;
}

}  // namespace nubpf::mir
