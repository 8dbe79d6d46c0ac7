// The MIR verifier's checks of CO-RE instructions against the module's
// kernel types, which the backend turns into LLVM debug info and access
// intrinsics without checking them again.

#include "compiler/core_access.h"
#include "compiler/mir_passes.h"

namespace nubpf::mir {

static std::optional<std::string> VerifyKernelInstruction(const Module& module,
                                                          const Instruction& instruction) {
  const std::vector<KernelType>& types = module.kernel_types;
  std::string error;
  bool is_access = instruction.opcode == Opcode::kCoreRead ||
                   instruction.opcode == Opcode::kCoreAddress ||
                   instruction.opcode == Opcode::kCoreFieldExists;
  if (is_access) {
    size_t operands = instruction.opcode == Opcode::kCoreFieldExists ? 0 : 1;
    if (instruction.operands.size() != operands) {
      return "has " + std::to_string(instruction.operands.size()) + " operands, not " +
             std::to_string(operands);
    }
    std::optional<std::vector<AccessStep>> steps =
        ResolveAccess(types, instruction.access, &error);
    if (!steps) return "has an access that " + error;
    if (instruction.opcode == Opcode::kCoreFieldExists && steps->empty()) {
      return "tests the existence of no member";
    }
    if (instruction.opcode != Opcode::kCoreRead) return std::nullopt;
    KernelTypeId read = steps->empty() ? instruction.access.root : steps->back().type;
    KernelTypeKind kind = types[read].kind;
    if (kind == KernelTypeKind::kStruct || kind == KernelTypeKind::kUnion ||
        kind == KernelTypeKind::kArray) {
      return "reads " + KernelTypeLabel(types, read) + " into a register";
    }
    bool bitfield = !steps->empty() && steps->back().member != nullptr &&
                    steps->back().member->bitfield_size != 0;
    if (bitfield && instruction.type.kind != TypeKind::kInt) {
      return "reads a bitfield as a " + instruction.type.ToString();
    }
    return std::nullopt;
  }

  if (instruction.opcode == Opcode::kCoreEnumValue) {
    if (instruction.index >= types.size() ||
        types[instruction.index].kind != KernelTypeKind::kEnum) {
      return "names kernel type #" + std::to_string(instruction.index) +
             ", which is not an enum";
    }
    for (const KernelEnumerator& enumerator : types[instruction.index].enumerators) {
      if (enumerator.name == instruction.text) return std::nullopt;
    }
    return "names the enumerator `" + instruction.text + "`, which " +
           KernelTypeLabel(types, instruction.index) + " does not list";
  }

  bool bad_index = instruction.opcode == Opcode::kKernelArrayElement &&
                   (instruction.operands.size() != 2 || instruction.offset == 0);
  if (bad_index) return "indexes an array without an index or an element size";
  return std::nullopt;
}

std::optional<std::string> VerifyFunction(const Module& module, const Function& function) {
  if (std::optional<std::string> error = VerifyFunction(function)) return error;
  for (BlockId block = 0; block < function.blocks.size(); ++block) {
    for (const Instruction& instruction : function.blocks[block].instructions) {
      std::optional<std::string> error = VerifyKernelInstruction(module, instruction);
      if (!error) continue;
      std::string defines = instruction.result == kNoValue
                                ? std::string("an instruction")
                                : "%" + std::to_string(instruction.result);
      return "in `" + function.name + "`, bb" + std::to_string(block) + ": " + defines +
             " " + *error;
    }
  }
  return std::nullopt;
}

}  // namespace nubpf::mir
