// The lowering of one MIR function into LLVM IR for the BPF target, shared
// by the files that implement it: function_lowering.cpp (blocks, values,
// events), aggregation_lowering.cpp, integer_lowering.cpp (operators) and
// string_lowering.cpp (string reads and commands).
#pragma once

#include <vector>

#include "backend/lowering_context.h"
#include "llvm/IR/IRBuilder.h"

namespace nubpf::backend {

// The location of a MIR string value's bytes. A string read from the probe's
// context or memory is read again into the buffer of each use (an event
// field, a map key, a comparison), so it costs no memory until it is used.
// A string a command computed or a literal is a buffer already.
struct StringSource {
  mir::Opcode opcode = mir::Opcode::kCommString;
  llvm::Value* address = nullptr;  // kUserString, kKernelString
  uint32_t offset = 0;             // kContextCharArray, kContextDataLoc
  uint32_t capacity = 0;
  // Set when the bytes are in a buffer of `capacity` bytes, zero after the
  // string's NUL.
  llvm::Value* buffer = nullptr;
  // Set for kStringLiteral: the text, written as stores of immediates.
  const std::string* literal = nullptr;
};

class FunctionLowering {
 public:
  FunctionLowering(LoweringContext& context, const mir::Function& function)
      : context_(context),
        function_(function),
        llvm_(context.module.getContext()),
        builder_(llvm_) {}

  void Run();

 private:
  // Blocks, values and events (function_lowering.cpp).
  void CreateFunction();
  void CreateLocals();
  void SetLocation(frontend::Span span);
  llvm::DIScope* ScopeAt(frontend::Span span);
  llvm::Value* ScratchBase();
  void FinishEntry();
  llvm::Value* ZeroKey();
  llvm::Value* ZeroSlot(llvm::Type* type, llvm::Value** slot);
  void LowerInstruction(const mir::Instruction& instruction);
  void LowerTerminator(const mir::Terminator& terminator);
  llvm::Value* LowerProbeValue(mir::ProbeValue value);
  void LowerEmit(const mir::Instruction& instruction);

  // Aggregations (aggregation_lowering.cpp).
  void LowerAggregate(const mir::Instruction& instruction);
  llvm::Value* LookupOrCreate(llvm::GlobalVariable* map, llvm::Value* key,
                              uint32_t value_words, int32_t drop_slot);
  void AddToWord(llvm::Value* words, uint32_t index, llvm::Value* amount);
  void KeepExtreme(llvm::Value* words, uint32_t index, llvm::Value* count,
                   llvm::Value* value, bool keep_less);
  void UpdateWords(const mir::Aggregation& aggregation, llvm::Value* words,
                   llvm::Value* value, llvm::BasicBlock* done);
  llvm::Value* Log2Bucket(llvm::Value* value);
  llvm::Value* LinearBucket(const mir::Aggregation& aggregation, llvm::Value* value);

  // Map keys (key_lowering.cpp).
  llvm::Value* BuildKey(const std::vector<mir::KeyField>& fields, uint32_t key_size,
                        const mir::Instruction& instruction);
  uint32_t FilledBytes(const mir::Type& field_type, mir::ValueId operand);

  void StoreValue(llvm::Value* value, const mir::Type& type,
                  llvm::Value* destination);
  void WriteField(const mir::Type& field_type, mir::ValueId operand,
                  llvm::Value* address);
  llvm::Value* MapLookup(llvm::GlobalVariable* map, llvm::Value* key);
  void IncrementCounter(llvm::GlobalVariable* counter, uint32_t index);
  llvm::Type* IntType(const mir::Type& type);
  llvm::AllocaInst* EntryAlloca(llvm::Type* type);

  // Operators (integer_lowering.cpp).
  llvm::Value* LowerBinary(const mir::Instruction& instruction);
  llvm::Value* LowerDivision(llvm::Value* lhs, llvm::Value* rhs,
                             bool is_signed, bool want_remainder);

  // Kernel memory through CO-RE (core_lowering.cpp).
  bool LowerCoreInstruction(const mir::Instruction& instruction);
  llvm::Value* AccessPointer(llvm::Value* base, const mir::CoreAccess& access);
  llvm::Value* LowerCoreRead(const mir::Instruction& instruction);
  llvm::Value* LowerBitfieldRead(llvm::Value* base, llvm::Value* member,
                                 const mir::KernelType& type, const mir::Type& result);
  llvm::Value* FieldInfo(llvm::Value* member, uint64_t kind);
  llvm::Value* LowerEnumValue(const mir::Instruction& instruction);
  llvm::Value* LowerArrayElement(const mir::Instruction& instruction);
  llvm::Value* CoreSlot();
  // Keyed stores (store_lowering.cpp) and globals (global_lowering.cpp).
  bool LowerStateInstruction(const mir::Instruction& instruction);
  void LowerStoreUpdate(const mir::Instruction& instruction);
  llvm::Value* LowerGlobalLoad(const mir::Instruction& instruction);
  // Parameters (parameter_lowering.cpp).
  bool LowerParameterInstruction(const mir::Instruction& instruction);

  // Stacks (stack_lowering.cpp).
  void ReadStack(const mir::Type& type, llvm::Value* destination);

  // Strings (string_lowering.cpp).
  bool LowerStringInstruction(const mir::Instruction& instruction);
  void ReadString(const StringSource& source, llvm::Value* destination);
  llvm::Value* Bytes(mir::ValueId value);
  llvm::Value* PrefixBytes(const StringSource& source, uint32_t size);
  llvm::Value* LowerStringEquals(const mir::Instruction& instruction);
  llvm::Value* LowerStringPrefix(llvm::Value* buffer, uint32_t capacity,
                                 const std::string& literal,
                                 bool include_nul);
  llvm::Value* LowerStringLength(llvm::Value* buffer, uint32_t capacity);
  llvm::Value* LowerStringSearch(const mir::Instruction& instruction);
  llvm::Value* LowerStringCompare(const mir::Instruction& instruction);
  llvm::Value* LowerStringCase(const mir::Instruction& instruction);
  llvm::Value* LowerSubstring(const mir::Instruction& instruction);
  llvm::Value* LowerIntToString(const mir::Instruction& instruction);
  llvm::Value* LowerStringToInt(const mir::Instruction& instruction);
  void StoreStringLocal(const mir::Instruction& instruction);
  void LoadStringLocal(const mir::Instruction& instruction);
  void WriteLiteral(const std::string& literal, uint32_t capacity,
                    llvm::Value* destination);
  void CopyBytes(llvm::Value* destination, llvm::Value* source,
                 uint32_t size);
  void ZeroFill(llvm::Value* buffer, uint32_t size);
  void ZeroRange(llvm::Value* buffer, uint32_t begin, uint32_t end);
  llvm::Value* StringBuffer(uint32_t capacity);
  llvm::Value* ScratchBuffer(uint32_t capacity);
  llvm::Value* LoadByte(llvm::Value* buffer, llvm::Value* index);

  // Emits `for (i = 0; i < count; ++i) body(i)` with no other exit, and
  // leaves the builder after it. Loops that scan a string run to the end of
  // the buffer instead of leaving at its NUL. Each early exit would carry
  // its own register state into the rest of the program, so the verifier
  // would walk the rest once per exit.
  template <typename Body>
  void CountedLoop(uint32_t count, Body body);
  llvm::Value* Flag(llvm::Value* condition);
  llvm::Value* Opaque(llvm::Value* value);
  llvm::Value* BelowFlag(llvm::Value* value, uint64_t limit);

  LoweringContext& context_;
  const mir::Function& function_;
  llvm::LLVMContext& llvm_;
  llvm::IRBuilder<> builder_;
  llvm::Function* llvm_function_ = nullptr;
  llvm::DISubprogram* subprogram_ = nullptr;
  llvm::Value* ctx_ = nullptr;
  llvm::BasicBlock* entry_ = nullptr;
  std::vector<llvm::BasicBlock*> blocks_;
  std::vector<llvm::Value*> values_;
  std::vector<StringSource> strings_;
  // The values that are reads of `$e.ts` (bpf_ktime_get_ns()).
  std::vector<bool> is_timestamp_;
  std::vector<llvm::Value*> locals_;  // by local index
  llvm::Value* scratch_ = nullptr;  // base of this program's scratch area
  uint32_t scratch_used_ = 0;
  uint32_t stack_strings_ = 0;  // stack bytes of string slots so far
  // A u32 0, the key of one-entry arrays; see ZeroSlot().
  llvm::Value* zero_key_ = nullptr;
  // The u64 stack slot that every CO-RE read reads into; see CoreSlot().
  llvm::Value* core_slot_ = nullptr;
};

template <typename Body>
void FunctionLowering::CountedLoop(uint32_t count, Body body) {
  llvm::BasicBlock* before = builder_.GetInsertBlock();
  auto* header = llvm::BasicBlock::Create(llvm_, "loop", llvm_function_);
  auto* done = llvm::BasicBlock::Create(llvm_, "loop_done", llvm_function_);
  builder_.CreateBr(header);

  builder_.SetInsertPoint(header);
  llvm::PHINode* index = builder_.CreatePHI(builder_.getInt64Ty(), 2);
  index->addIncoming(builder_.getInt64(0), before);
  body(index);
  llvm::Value* next = builder_.CreateAdd(index, builder_.getInt64(1));
  index->addIncoming(next, builder_.GetInsertBlock());
  builder_.CreateCondBr(builder_.CreateICmpULT(next, builder_.getInt64(count)),
                        header, done);
  builder_.SetInsertPoint(done);
}

}  // namespace nubpf::backend
