// Hoisting of context loads and helper values to the entry block, one read
// for each field or value outside loops. The entry block dominates every
// other block, so the first read's value reaches every use.

#include <map>
#include <tuple>

#include "compiler/mir_passes.h"

namespace nubpf::mir {

bool HoistReads(Function* function) {
  // Opcode, offset or helper value, and the type, name one read.
  using ReadKey = std::tuple<Opcode, uint32_t, ProbeValue, std::string>;
  std::map<ReadKey, ValueId> first_read;
  std::vector<ValueId> replacement(function->value_types.size(), kNoValue);
  std::vector<Instruction> hoisted;

  std::vector<bool> in_loop = BlocksInLoops(*function);
  for (BlockId id = 0; id < function->blocks.size(); ++id) {
    Block& block = function->blocks[id];
    std::vector<Instruction> staying;
    for (Instruction& instruction : block.instructions) {
      bool is_read = !in_loop[id] && (instruction.opcode == Opcode::kContextLoad ||
                                      instruction.opcode == Opcode::kProbeValue);
      if (!is_read) {
        staying.push_back(std::move(instruction));
        continue;
      }
      ReadKey key{instruction.opcode, instruction.offset, instruction.probe_value,
                  instruction.type.ToString()};
      auto [found, inserted] = first_read.emplace(key, instruction.result);
      if (inserted) {
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
