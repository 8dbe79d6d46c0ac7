// Lowering of CO-RE reads of kernel memory.
//
// An access becomes a chain of `llvm.preserve.*.access.index` calls from
// the base address, each carrying the debug type it indexes as
// `!llvm.preserve.access.index`. LLVM's BPF backend turns the chain into
// one offset that libbpf relocates when it loads the program, and writes
// the relocation into `.BTF.ext`. For `task_struct.real_parent`:
//
//   %p = call ptr @llvm.preserve.struct.access.index.p0.p0(
//            ptr elementtype(%struct.task_struct) %task, i32 7, i32 3),
//            !llvm.preserve.access.index !task_struct
//   call i64 inttoptr (i64 113 to ptr)(ptr %slot, i32 8, ptr %p)
//
// where 3 is `real_parent`'s position among the members of the object's
// `task_struct`, 7 the IR element that contains it, and 113 is
// bpf_probe_read_kernel. A read that faults leaves zeros in the slot, so
// a read through a null or stale pointer gives 0.

#include <cassert>

#include "backend/bpf_helpers.h"
#include "backend/function_lowering.h"
#include "compiler/core_access.h"
#include "llvm/IR/IntrinsicsBPF.h"

namespace nubpf::backend {

using mir::KernelTypeKind;
using mir::Opcode;

// The kinds of `llvm.bpf.preserve.field.info`, as libbpf numbers its field
// relocations (enum bpf_core_relo_kind in the kernel's bpf.h).
enum FieldInfoKind : uint64_t {
  kByteOffset = 0,
  kByteSize = 1,
  kExists = 2,
  kLeftShift = 4,
  kRightShift = 5,
};

// The flag of `llvm.bpf.preserve.enum.value` that selects the value,
// BPF_ENUMVAL_VALUE in libbpf's bpf_core_read.h.
constexpr uint64_t kEnumValue = 1;

// Lowers the CO-RE opcodes. Returns false for any other opcode.
bool FunctionLowering::LowerCoreInstruction(const mir::Instruction& instruction) {
  llvm::Value* result = nullptr;
  switch (instruction.opcode) {
    case Opcode::kCoreRead:
      result = LowerCoreRead(instruction);
      break;
    case Opcode::kUserRead: {
      // Through the zeroed slot, so that a fault reads as 0.
      builder_.CreateStore(builder_.getInt64(0), CoreSlot());
      llvm::Value* address = builder_.CreateIntToPtr(values_[instruction.operands[0]],
                                                     llvm::PointerType::get(llvm_, 0));
      CallHelper(builder_, Helper::kProbeReadUser,
                 {CoreSlot(), builder_.getInt32(instruction.type.SizeInBytes()), address});
      result = builder_.CreateLoad(IntType(instruction.type), CoreSlot());
      break;
    }
    case Opcode::kCoreAddress:
      result = builder_.CreatePtrToInt(
          AccessPointer(values_[instruction.operands[0]], instruction.access),
          builder_.getInt64Ty());
      break;
    case Opcode::kCoreFieldExists: {
      // The check needs a member's pointer only to name the member; no
      // memory is read, so a null base does.
      llvm::Value* member = AccessPointer(builder_.getInt64(0), instruction.access);
      result = builder_.CreateICmpNE(FieldInfo(member, kExists), builder_.getInt32(0));
      break;
    }
    case Opcode::kCoreEnumValue:
      result = LowerEnumValue(instruction);
      break;
    case Opcode::kKernelArrayElement:
      result = LowerArrayElement(instruction);
      break;
    default:
      return false;
  }
  values_[instruction.result] = result;
  return true;
}

// Returns the address of the member `access` names, from `base`, an i64.
llvm::Value* FunctionLowering::AccessPointer(llvm::Value* base,
                                             const mir::CoreAccess& access) {
  const std::vector<mir::KernelType>& types = context_.mir.kernel_types;
  const KernelTypeLowering& lowered = context_.kernel_types;
  std::string error;
  std::optional<std::vector<mir::AccessStep>> steps = mir::ResolveAccess(types, access, &error);
  assert(steps.has_value() && "VerifyFunction checks every access");

  llvm::Value* pointer = builder_.CreateIntToPtr(base, llvm::PointerType::get(llvm_, 0));
  for (const mir::AccessStep& step : *steps) {
    auto* debug_type = llvm::cast<llvm::MDNode>(lowered.debug[step.parent]);
    switch (types[step.parent].kind) {
      case KernelTypeKind::kStruct:
        pointer = builder_.CreatePreserveStructAccessIndex(
            lowered.ir[step.parent], pointer, lowered.elements[step.parent][step.position],
            step.position, debug_type);
        break;
      case KernelTypeKind::kUnion:
        pointer = builder_.CreatePreserveUnionAccessIndex(pointer, step.position, debug_type);
        break;
      case KernelTypeKind::kArray:
        pointer = builder_.CreatePreserveArrayAccessIndex(
            lowered.ir[step.parent], pointer, /*Dimension=*/1, step.position, debug_type);
        break;
      case KernelTypeKind::kInt:
      case KernelTypeKind::kBool:
      case KernelTypeKind::kChar:
      case KernelTypeKind::kEnum:
      case KernelTypeKind::kPointer:
        llvm_unreachable("VerifyFunction rejects steps through scalars");
    }
  }
  return pointer;
}

// Returns the one u64 stack slot that reads go through: each read loads
// its value right after the helper fills the slot, so one slot serves
// every read and the stack does not grow with their number.
llvm::Value* FunctionLowering::CoreSlot() {
  if (core_slot_ == nullptr) core_slot_ = EntryAlloca(builder_.getInt64Ty());
  return core_slot_;
}

llvm::Value* FunctionLowering::FieldInfo(llvm::Value* member, uint64_t kind) {
  llvm::Function* info = llvm::Intrinsic::getDeclaration(
      &context_.module, llvm::Intrinsic::bpf_preserve_field_info, {member->getType()});
  return builder_.CreateCall(info, {member, builder_.getInt64(kind)});
}

llvm::Value* FunctionLowering::LowerCoreRead(const mir::Instruction& instruction) {
  const std::vector<mir::KernelType>& types = context_.mir.kernel_types;
  llvm::Value* base = values_[instruction.operands[0]];
  llvm::Value* member = AccessPointer(base, instruction.access);

  std::string error;
  std::vector<mir::AccessStep> steps = *mir::ResolveAccess(types, instruction.access, &error);
  mir::KernelTypeId read = steps.empty() ? instruction.access.root : steps.back().type;
  bool bitfield = !steps.empty() && steps.back().member != nullptr &&
                  steps.back().member->bitfield_size != 0;
  if (bitfield) return LowerBitfieldRead(base, member, types[read], instruction.type);

  uint32_t size = types[read].size;
  CallHelper(builder_, Helper::kProbeReadKernel,
             {CoreSlot(), builder_.getInt32(size), member});
  llvm::Value* value = builder_.CreateLoad(builder_.getIntNTy(size * 8), CoreSlot());
  if (instruction.type.kind == mir::TypeKind::kBool) {
    return builder_.CreateICmpNE(value, llvm::ConstantInt::get(value->getType(), 0));
  }
  return builder_.CreateIntCast(value, IntType(instruction.type), instruction.type.is_signed);
}

// Reads a bitfield the way libbpf's BPF_CORE_READ_BITFIELD_PROBED does.
// The bytes that contain it, at the relocated byte offset and size, go into
// the low end of a zeroed u64. Then a left shift drops the bits above the
// bitfield, and a right shift (arithmetic for a signed type) the bits
// below it. All four numbers are CO-RE relocations, so they are the
// running kernel's.
llvm::Value* FunctionLowering::LowerBitfieldRead(llvm::Value* base, llvm::Value* member,
                                                 const mir::KernelType& type,
                                                 const mir::Type& result) {
  llvm::Value* offset = builder_.CreateZExt(FieldInfo(member, kByteOffset), builder_.getInt64Ty());
  llvm::Value* size = FieldInfo(member, kByteSize);
  llvm::Value* left = builder_.CreateZExt(FieldInfo(member, kLeftShift), builder_.getInt64Ty());
  llvm::Value* right = builder_.CreateZExt(FieldInfo(member, kRightShift), builder_.getInt64Ty());

  llvm::Value* address = builder_.CreateInBoundsGEP(
      builder_.getInt8Ty(), builder_.CreateIntToPtr(base, llvm::PointerType::get(llvm_, 0)),
      offset);
  builder_.CreateStore(builder_.getInt64(0), CoreSlot());
  CallHelper(builder_, Helper::kProbeReadKernel, {CoreSlot(), size, address});
  llvm::Value* bits = builder_.CreateShl(builder_.CreateLoad(builder_.getInt64Ty(), CoreSlot()), left);
  bits = type.is_signed ? builder_.CreateAShr(bits, right) : builder_.CreateLShr(bits, right);
  return builder_.CreateIntCast(bits, IntType(result), result.is_signed);
}

// An enumerator's value on the running kernel. LLVM names the enumerator
// to relocate with a `NAME:VALUE` string, as clang's
// __builtin_preserve_enum_value does.
llvm::Value* FunctionLowering::LowerEnumValue(const mir::Instruction& instruction) {
  const mir::KernelType& type = context_.mir.kernel_types[instruction.index];
  int64_t local_value = 0;
  for (const mir::KernelEnumerator& enumerator : type.enumerators) {
    if (enumerator.name == instruction.text) local_value = enumerator.value;
  }
  llvm::GlobalVariable* name = builder_.CreateGlobalString(
      instruction.text + ":" + std::to_string(local_value), "enumerator", 0,
      &context_.module);
  llvm::Function* intrinsic = llvm::Intrinsic::getDeclaration(
      &context_.module, llvm::Intrinsic::bpf_preserve_enum_value);
  llvm::CallInst* value = builder_.CreateCall(
      intrinsic, {builder_.getInt32(context_.type_id_calls++), name,
                  builder_.getInt64(kEnumValue)});
  value->setMetadata(llvm::LLVMContext::MD_preserve_access_index,
                     context_.kernel_types.debug[instruction.index]);
  return builder_.CreateIntCast(value, IntType(instruction.type), instruction.type.is_signed);
}

// `array + index * size` while the index is in range, else 0, which reads
// as 0. The comparison is unsigned, so a negative index is out of range
// too. A flexible array has no known end, so every index is taken.
llvm::Value* FunctionLowering::LowerArrayElement(const mir::Instruction& instruction) {
  llvm::Value* array = values_[instruction.operands[0]];
  llvm::Value* index = values_[instruction.operands[1]];
  llvm::Value* address = builder_.CreateAdd(
      array, builder_.CreateMul(index, builder_.getInt64(instruction.offset)));
  if (instruction.int_value == 0) return address;
  llvm::Value* in_range = builder_.CreateICmpULT(
      index, builder_.getInt64(static_cast<uint64_t>(instruction.int_value)));
  return builder_.CreateSelect(in_range, address, builder_.getInt64(0));
}

}  // namespace nubpf::backend
