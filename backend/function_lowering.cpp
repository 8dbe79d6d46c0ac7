// Lowering of one MIR function into LLVM IR for the BPF target.

#include "backend/function_lowering.h"

#include "backend/bpf_helpers.h"
#include "compiler/mir_passes.h"
#include "llvm/IR/IntrinsicsBPF.h"

namespace nubpf::backend {

using mir::Opcode;
using mir::TypeKind;

void FunctionLowering::Run() {
  CreateFunction();
  values_.resize(function_.value_types.size());
  strings_.resize(function_.value_types.size());
  is_timestamp_.resize(function_.value_types.size());

  for (size_t i = 0; i < function_.blocks.size(); ++i) {
    blocks_.push_back(
        llvm::BasicBlock::Create(llvm_, "bb" + std::to_string(i), llvm_function_));
  }

  // Blocks go in reverse post-order, so that every value is lowered before
  // its uses: the checker numbers a join or a call's exit block before the
  // blocks that flow into it. Blocks that nothing reaches, such as the
  // code after a `return` at -O0, only return.
  std::vector<bool> reached(function_.blocks.size(), false);
  for (mir::BlockId i : mir::ReversePostOrder(function_)) {
    reached[i] = true;
    builder_.SetInsertPoint(blocks_[i]);
    if (i == 0) CreateLocals();
    for (const mir::Instruction& instruction : function_.blocks[i].instructions) {
      SetLocation(instruction.span);
      LowerInstruction(instruction);
    }
    SetLocation(function_.span);
    LowerTerminator(function_.blocks[i].terminator);
  }
  for (size_t i = 0; i < function_.blocks.size(); ++i) {
    if (reached[i]) continue;
    builder_.SetInsertPoint(blocks_[i]);
    builder_.CreateRet(builder_.getInt32(0));
  }
  FinishEntry();
}

// Creates `int NAME(void *ctx)` in the probe's section, with the debug info
// that becomes its BTF function and line info.
void FunctionLowering::CreateFunction() {
  llvm::Type* int_type = builder_.getInt32Ty();
  llvm::Type* pointer_type = llvm::PointerType::get(llvm_, 0);
  auto* type = llvm::FunctionType::get(int_type, {pointer_type}, false);
  llvm_function_ = llvm::Function::Create(type, llvm::Function::ExternalLinkage,
                                          function_.name, context_.module);
  llvm_function_->setSection(function_.section);
  // Without nounwind LLVM emits `.eh_frame`, which BPF has no use for.
  llvm_function_->addFnAttr(llvm::Attribute::NoUnwind);
  ctx_ = llvm_function_->getArg(0);
  ctx_->setName("ctx");

  llvm::DIBuilder& debug = context_.debug;
  llvm::DIType* int_debug =
      debug.createBasicType("int", 32, llvm::dwarf::DW_ATE_signed);
  llvm::DIType* pointer_debug = debug.createPointerType(nullptr, 64);
  llvm::DISubroutineType* debug_type = debug.createSubroutineType(
      debug.getOrCreateTypeArray({int_debug, pointer_debug}));
  unsigned line = context_.source.Locate(function_.span.begin).line;
  subprogram_ = debug.createFunction(
      context_.file, function_.name, function_.name, context_.file, line,
      debug_type, line, llvm::DINode::FlagPrototyped,
      llvm::DISubprogram::SPFlagDefinition | llvm::DISubprogram::SPFlagOptimized);
  llvm_function_->setSubprogram(subprogram_);
  debug.createParameterVariable(subprogram_, "ctx", 1, context_.file, line,
                                pointer_debug, /*AlwaysPreserve=*/true);

  entry_ = llvm::BasicBlock::Create(llvm_, "entry", llvm_function_);
}

// Gives each integer or bool local a stack slot that starts at 0, so that
// no path reads a slot the verifier has not seen written. SROA turns the
// slots into registers. A string local is a scratch buffer, which needs no
// first value because map memory is always initialized. Runs at the start
// of the first MIR block, which no branch returns to.
void FunctionLowering::CreateLocals() {
  for (const mir::Type& type : function_.locals) {
    if (type.kind == TypeKind::kString) {
      locals_.push_back(ScratchBuffer(type.capacity));
      continue;
    }
    llvm::AllocaInst* slot = EntryAlloca(IntType(type));
    builder_.CreateStore(llvm::ConstantInt::get(IntType(type), 0), slot);
    locals_.push_back(slot);
  }
}

void FunctionLowering::SetLocation(frontend::Span span) {
  if (!context_.options.line_info) span = function_.span;
  frontend::LineColumn at = context_.source.Locate(span.begin);
  builder_.SetCurrentDebugLocation(
      llvm::DILocation::get(llvm_, at.line, at.column, ScopeAt(span)));
}

// Returns the debug scope of `span`: the probe's function, or for code of a
// command that a module defines, a block of the module's file inside it, so
// that BTF line info names the module's file and line.
llvm::DIScope* FunctionLowering::ScopeAt(frontend::Span span) {
  const frontend::SourceFile& file = context_.source.FileAt(span.begin);
  if (&file == &context_.source) return subprogram_;
  llvm::DIFile* module_file =
      context_.debug.createFile(ObjectPath(file.path(), context_.options), ".");
  return context_.debug.createLexicalBlockFile(subprogram_, module_file);
}

// Returns this CPU's scratch area, looking it up in the entry block on
// first use. The entry block gets its branch only in FinishEntry(), after
// every block is lowered, so the lookup can still be appended to it.
llvm::Value* FunctionLowering::ScratchBase() {
  if (scratch_ != nullptr) return scratch_;
  llvm::IRBuilder<> entry_builder(entry_);
  entry_builder.SetCurrentDebugLocation(builder_.getCurrentDebugLocation());
  scratch_ = CallHelper(entry_builder, Helper::kMapLookupElem,
                        {context_.scratch_map, ZeroKey()},
                        llvm::PointerType::get(llvm_, 0));
  return scratch_;
}

// Ends the entry block with a branch to the first MIR block. With a scratch
// area, a null check comes first: index 0 always exists in a one-entry
// per-CPU array, but the verifier still needs the check.
void FunctionLowering::FinishEntry() {
  builder_.SetInsertPoint(entry_);
  SetLocation(function_.span);
  if (scratch_ == nullptr) {
    builder_.CreateBr(blocks_[0]);
    return;
  }

  context_.scratch_bytes = std::max(context_.scratch_bytes, scratch_used_);
  auto* missing = llvm::BasicBlock::Create(llvm_, "no_scratch", llvm_function_);
  builder_.CreateCondBr(builder_.CreateIsNull(scratch_), missing, blocks_[0]);
  builder_.SetInsertPoint(missing);
  builder_.CreateRet(builder_.getInt32(0));
}

llvm::Value* FunctionLowering::ZeroKey() {
  return ZeroSlot(builder_.getInt32Ty(), &zero_key_);
}

// Returns `*slot`, first creating it as a stack slot of `type` that the
// entry block sets to 0, so every use in the program shares one slot.
llvm::Value* FunctionLowering::ZeroSlot(llvm::Type* type, llvm::Value** slot) {
  if (*slot != nullptr) return *slot;
  llvm::IRBuilder<> entry_builder(entry_, entry_->begin());
  *slot = entry_builder.CreateAlloca(type);
  entry_builder.CreateStore(llvm::ConstantInt::get(type, 0), *slot);
  return *slot;
}

llvm::AllocaInst* FunctionLowering::EntryAlloca(llvm::Type* type) {
  llvm::IRBuilder<> entry_builder(entry_, entry_->begin());
  llvm::AllocaInst* slot = entry_builder.CreateAlloca(type);
  slot->setAlignment(llvm::Align(8));
  return slot;
}

llvm::Type* FunctionLowering::IntType(const mir::Type& type) {
  switch (type.kind) {
    case TypeKind::kBool:
      return builder_.getInt1Ty();
    case TypeKind::kInt:
      return builder_.getIntNTy(type.bits);
    case TypeKind::kPointer:
      return builder_.getInt64Ty();
    case TypeKind::kString:
    case TypeKind::kStack:
      break;
  }
  return builder_.getInt64Ty();
}

llvm::Value* FunctionLowering::MapLookup(llvm::GlobalVariable* map,
                                         llvm::Value* key) {
  return CallHelper(builder_, Helper::kMapLookupElem, {map, key},
                    llvm::PointerType::get(llvm_, 0));
}

void FunctionLowering::StoreValue(llvm::Value* value, const mir::Type& type,
                                  llvm::Value* destination) {
  if (type.kind == TypeKind::kBool) {
    value = builder_.CreateZExt(value, builder_.getInt8Ty());
  }
  llvm::StoreInst* store = builder_.CreateStore(value, destination);
  store->setAlignment(llvm::Align(type.SizeInBytes()));
}

// Writes value `operand` into a field of `field_type` at `address`, in an
// event record or a map key. The field may be wider than the value, when
// other sites of one map give it longer strings or wider ints: a string
// fills the start of the field, and an int is extended by its own sign.
void FunctionLowering::WriteField(const mir::Type& field_type, mir::ValueId operand,
                                  llvm::Value* address) {
  const mir::Type& value_type = function_.value_types[operand];
  switch (field_type.kind) {
    case TypeKind::kString:
      // ReadString writes at most the value's capacity, so it stays in
      // the field and reads no byte past the source string.
      assert(strings_[operand].capacity <= field_type.capacity &&
             "a string is longer than its field");
      ReadString(strings_[operand], address);
      return;
    case TypeKind::kStack:
      ReadStack(field_type, address);
      return;
    case TypeKind::kInt: {
      assert(value_type.bits <= field_type.bits && "an int is wider than its field");
      llvm::Value* value =
          builder_.CreateIntCast(values_[operand], IntType(field_type), value_type.is_signed);
      StoreValue(value, field_type, address);
      return;
    }
    case TypeKind::kBool:
    case TypeKind::kPointer:
      StoreValue(values_[operand], field_type, address);
      return;
  }
}

llvm::Value* FunctionLowering::LowerProbeValue(mir::ProbeValue value) {
  llvm::Type* u32 = builder_.getInt32Ty();
  switch (value) {
    case mir::ProbeValue::kPid: {
      // The upper 32 bits of bpf_get_current_pid_tgid() are the tgid.
      llvm::Value* both = CallHelper(builder_, Helper::kGetCurrentPidTgid, {});
      return builder_.CreateTrunc(builder_.CreateLShr(both, 32), u32);
    }
    case mir::ProbeValue::kTid:
      return builder_.CreateTrunc(
          CallHelper(builder_, Helper::kGetCurrentPidTgid, {}), u32);
    case mir::ProbeValue::kUid:
      return builder_.CreateTrunc(
          CallHelper(builder_, Helper::kGetCurrentUidGid, {}), u32);
    case mir::ProbeValue::kGid: {
      llvm::Value* both = CallHelper(builder_, Helper::kGetCurrentUidGid, {});
      return builder_.CreateTrunc(builder_.CreateLShr(both, 32), u32);
    }
    case mir::ProbeValue::kTimestamp:
      return CallHelper(builder_, Helper::kKtimeGetNs, {});
    case mir::ProbeValue::kCpu:
      return builder_.CreateTrunc(
          CallHelper(builder_, Helper::kGetSmpProcessorId, {}), u32);
    case mir::ProbeValue::kCgroup:
      return CallHelper(builder_, Helper::kGetCurrentCgroupId, {});
    case mir::ProbeValue::kTask:
      return CallHelper(builder_, Helper::kGetCurrentTask, {});
  }
  llvm_unreachable("unknown probe value");
}

// Reserves the record in the ring buffer and writes the fields in place, so
// no record is built on the 512-byte stack. A full ring buffer counts the
// event as lost instead.
void FunctionLowering::LowerEmit(const mir::Instruction& instruction) {
  const mir::EventLayout& layout = context_.mir.events[instruction.index];
  llvm::Value* record =
      CallHelper(builder_, Helper::kRingbufReserve,
                 {context_.events_map, builder_.getInt64(layout.size),
                  builder_.getInt64(0)},
                 llvm::PointerType::get(llvm_, 0));

  auto* fill = llvm::BasicBlock::Create(llvm_, "emit", llvm_function_);
  auto* full = llvm::BasicBlock::Create(llvm_, "emit_full", llvm_function_);
  auto* done = llvm::BasicBlock::Create(llvm_, "emit_done", llvm_function_);
  builder_.CreateCondBr(builder_.CreateIsNull(record), full, fill);

  builder_.SetInsertPoint(full);
  IncrementCounter(context_.lost_counter, 0);
  builder_.CreateBr(done);

  builder_.SetInsertPoint(fill);
  builder_.CreateStore(builder_.getInt32(layout.id), record);
  // The relocation of the record's BTF type id is what puts that struct in
  // `.BTF`. Flag 0 selects the id in this object's own BTF.
  llvm::Function* type_id = llvm::Intrinsic::getDeclaration(
      &context_.module, llvm::Intrinsic::bpf_btf_type_id);
  llvm::CallInst* id = builder_.CreateCall(
      type_id, {builder_.getInt32(context_.type_id_calls++), builder_.getInt64(0)});
  id->setMetadata(llvm::LLVMContext::MD_preserve_access_index,
                  context_.event_types[layout.id]);
  builder_.CreateStore(builder_.CreateTrunc(id, builder_.getInt32Ty()),
                       builder_.CreateConstInBoundsGEP1_32(builder_.getInt8Ty(),
                                                           record, 4));
  // The loader reads records in batches, so the time of the emit itself
  // is taken here, on CLOCK_MONOTONIC as bpf_ktime_get_ns() reads it. A
  // record with a `$e.ts` field reuses that read, taken just before, and
  // saves a helper call per event.
  llvm::Value* time = nullptr;
  for (mir::ValueId operand : instruction.operands) {
    if (is_timestamp_[operand]) time = values_[operand];
  }
  if (time == nullptr) time = CallHelper(builder_, Helper::kKtimeGetNs, {});
  builder_.CreateStore(time, builder_.CreateConstInBoundsGEP1_32(builder_.getInt8Ty(),
                                                                 record, 8));
  for (size_t i = 0; i < layout.fields.size(); ++i) {
    const mir::EventField& field = layout.fields[i];
    mir::ValueId operand = instruction.operands[i];
    llvm::Value* address = builder_.CreateConstInBoundsGEP1_32(
        builder_.getInt8Ty(), record, field.offset);
    WriteField(field.type, operand, address);
  }
  CallHelper(builder_, Helper::kRingbufSubmit, {record, builder_.getInt64(0)});
  builder_.CreateBr(done);
  builder_.SetInsertPoint(done);
}

void FunctionLowering::LowerInstruction(const mir::Instruction& instruction) {
  llvm::Value* result = nullptr;
  switch (instruction.opcode) {
    case Opcode::kConstInt:
      result = llvm::ConstantInt::get(IntType(instruction.type),
                                      static_cast<uint64_t>(instruction.int_value),
                                      instruction.type.is_signed);
      break;
    case Opcode::kConstBool:
      result = builder_.getInt1(instruction.int_value != 0);
      break;
    case Opcode::kContextLoad: {
      llvm::Value* address = builder_.CreateConstInBoundsGEP1_32(
          builder_.getInt8Ty(), ctx_, instruction.offset);
      llvm::LoadInst* load = builder_.CreateLoad(IntType(instruction.type), address);
      load->setAlignment(llvm::Align(instruction.type.SizeInBytes()));
      result = load;
      break;
    }
    case Opcode::kProbeValue:
      result = LowerProbeValue(instruction.probe_value);
      if (instruction.probe_value == mir::ProbeValue::kTimestamp) {
        is_timestamp_[instruction.result] = true;
      }
      break;
    case Opcode::kCast: {
      const mir::Type& from = function_.value_types[instruction.operands[0]];
      result = builder_.CreateIntCast(values_[instruction.operands[0]],
                                      IntType(instruction.type), from.is_signed);
      break;
    }
    case Opcode::kBinary:
      result = LowerBinary(instruction);
      break;
    case Opcode::kNot:
      result = builder_.CreateNot(values_[instruction.operands[0]]);
      break;
    case Opcode::kNegate:
      result = builder_.CreateNeg(values_[instruction.operands[0]]);
      break;
    case Opcode::kLocalLoad:
      if (instruction.type.kind == TypeKind::kString) {
        LoadStringLocal(instruction);
        return;
      }
      result = builder_.CreateLoad(IntType(instruction.type),
                                   locals_[instruction.index]);
      break;
    case Opcode::kLocalStore:
      if (function_.locals[instruction.index].kind == TypeKind::kString) {
        StoreStringLocal(instruction);
        return;
      }
      builder_.CreateStore(values_[instruction.operands[0]],
                           locals_[instruction.index]);
      return;
    case Opcode::kStack:
      // Read at each use, by ReadStack().
      return;
    default:
      if (LowerStringInstruction(instruction)) return;
      if (LowerCoreInstruction(instruction)) return;
      if (LowerStateInstruction(instruction)) return;
      if (LowerParameterInstruction(instruction)) return;
      llvm_unreachable("unknown MIR opcode");
    case Opcode::kEmit:
      LowerEmit(instruction);
      return;
    case Opcode::kAggregate:
      LowerAggregate(instruction);
      return;
  }
  values_[instruction.result] = result;
}

void FunctionLowering::LowerTerminator(const mir::Terminator& terminator) {
  switch (terminator.kind) {
    case mir::TerminatorKind::kReturn:
      builder_.CreateRet(builder_.getInt32(0));
      return;
    case mir::TerminatorKind::kJump:
      builder_.CreateBr(blocks_[terminator.target]);
      return;
    case mir::TerminatorKind::kBranch:
      builder_.CreateCondBr(values_[terminator.condition],
                            blocks_[terminator.target],
                            blocks_[terminator.else_target]);
      return;
  }
}

void LowerFunction(LoweringContext& context, const mir::Function& function) {
  FunctionLowering(context, function).Run();
}

}  // namespace nubpf::backend
