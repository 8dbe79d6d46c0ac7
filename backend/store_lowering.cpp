// Keyed stores: hash map lookups, updates and deletes with a key built in
// a zeroed buffer, and the drop count of failed inserts. For
// `$e.ret | store set last --key $e.tid` the program does, in C terms:
//
//   struct { long long tid; } key = {};   // padding bytes are part of the key
//   key.tid = tid;
//   long long value = ret;
//   if (bpf_map_update_elem(&last, &key, &value, BPF_ANY) != 0)
//     __sync_fetch_and_add(&nubpf_drops[slot], 1);

#include "backend/bpf_helpers.h"
#include "backend/function_lowering.h"

namespace nubpf::backend {

using mir::Opcode;
using mir::TypeKind;

namespace {

// BPF_ANY from the kernel's `include/uapi/linux/bpf.h`: create or replace.
constexpr uint64_t kUpdateAny = 0;

}  // namespace

// Stores the value, the last operand, under the key. A string goes into a
// zeroed buffer of the map's value size, so that its bytes after the NUL
// are zeros, as a string buffer's are. The update fails when a new key
// does not fit in the map, which counts as a drop.
void FunctionLowering::LowerStoreUpdate(const mir::Instruction& instruction) {
  const mir::Store& store = context_.mir.stores[instruction.index];
  size_t fields = instruction.operands.size() - 1;
  llvm::Value* key = BuildKey(store.key, store.key_size, instruction);
  mir::ValueId operand = instruction.operands[fields];
  llvm::Value* slot = nullptr;
  if (store.value_type.kind == TypeKind::kString) {
    slot = StringBuffer(store.ValueSize());
    ZeroFill(slot, store.ValueSize());
    WriteField(store.value_type, operand, slot);
  } else {
    llvm::Value* value = values_[operand];
    if (function_.value_types[operand].kind == TypeKind::kBool) {
      value = builder_.CreateZExt(value, builder_.getInt64Ty());
    }
    slot = EntryAlloca(builder_.getInt64Ty());
    builder_.CreateStore(value, slot);
  }
  llvm::Value* error =
      CallHelper(builder_, Helper::kMapUpdateElem,
                 {context_.store_maps[instruction.index], key, slot,
                  builder_.getInt64(kUpdateAny)});

  auto* failed = llvm::BasicBlock::Create(llvm_, "store_failed", llvm_function_);
  auto* done = llvm::BasicBlock::Create(llvm_, "store_done", llvm_function_);
  builder_.CreateCondBr(builder_.CreateICmpNE(error, builder_.getInt64(0)), failed, done);
  builder_.SetInsertPoint(failed);
  IncrementCounter(context_.drop_counters, store.drop_slot);
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
}

bool FunctionLowering::LowerStateInstruction(const mir::Instruction& instruction) {
  llvm::Type* pointer_type = llvm::PointerType::get(llvm_, 0);
  switch (instruction.opcode) {
    case Opcode::kStoreLookup: {
      const mir::Store& store = context_.mir.stores[instruction.index];
      llvm::Value* key = BuildKey(store.key, store.key_size, instruction);
      llvm::Value* value = MapLookup(context_.store_maps[instruction.index], key);
      // An address, which the checker compares with 0 before kStoreLoad
      // reads it. LLVM folds the casts back into the pointer, so the
      // verifier sees the null check on the map value pointer itself.
      values_[instruction.result] = builder_.CreatePtrToInt(value, builder_.getInt64Ty());
      return true;
    }
    case Opcode::kStoreLoad: {
      llvm::Value* address =
          builder_.CreateIntToPtr(values_[instruction.operands[0]], pointer_type);
      if (instruction.type.kind == TypeKind::kString) {
        // The map value is a string buffer: a use copies from it, which
        // the verifier allows inside the lookup's null check.
        StringSource& source = strings_[instruction.result];
        source.opcode = instruction.opcode;
        source.capacity = instruction.type.capacity;
        source.buffer = address;
        return true;
      }
      llvm::LoadInst* load = builder_.CreateLoad(builder_.getInt64Ty(), address);
      load->setAlignment(llvm::Align(8));
      values_[instruction.result] = load;
      return true;
    }
    case Opcode::kStoreUpdate:
      LowerStoreUpdate(instruction);
      return true;
    case Opcode::kStoreDelete: {
      const mir::Store& store = context_.mir.stores[instruction.index];
      llvm::Value* key = BuildKey(store.key, store.key_size, instruction);
      // A key that is not there gives -ENOENT, which is no error here.
      CallHelper(builder_, Helper::kMapDeleteElem,
                 {context_.store_maps[instruction.index], key});
      return true;
    }
    case Opcode::kGlobalLoad:
      values_[instruction.result] = LowerGlobalLoad(instruction);
      return true;
    case Opcode::kGlobalStore: {
      llvm::Value* value = values_[instruction.operands[0]];
      const mir::Global& global = context_.mir.globals[instruction.index];
      if (global.type.kind == TypeKind::kBool) {
        value = builder_.CreateZExt(value, builder_.getInt8Ty());
      }
      builder_.CreateStore(value, context_.globals[instruction.index]);
      return true;
    }
    case Opcode::kGlobalAdd:
      // With its result unused, the BPF backend makes this one atomic add
      // instruction (`lock *(u64 *)(r1 + 0) += r2`), which needs no newer
      // CPU version than v1.
      builder_.CreateAtomicRMW(llvm::AtomicRMWInst::Add, context_.globals[instruction.index],
                               values_[instruction.operands[0]], llvm::MaybeAlign(8),
                               llvm::AtomicOrdering::Monotonic);
      return true;
    default:
      return false;
  }
}

}  // namespace nubpf::backend
