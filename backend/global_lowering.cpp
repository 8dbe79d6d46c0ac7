// Globals: each top-level `mut` is an LLVM global in `.data`, which libbpf
// makes an array map of one value named after the object (`OBJ.data`) and
// fills with the initial values when it loads the object. Their debug info
// becomes BTF variables and the section's DATASEC, which bpftool and the
// loader read. In C terms:
//
//   long long bytes SEC(".data") = 0;
//   _Bool seen SEC(".data") = 0;
//
// Each global is 8-byte aligned, in declaration order, so its offset in
// `.data` is 8 times its index, as mir::Global::offset documents.
//
// The counters of lost events and dropped inserts are `.bss` globals that
// programs add to atomically, which costs a few instructions where a
// per-CPU map would need a lookup:
//
//   unsigned long long nubpf_lost SEC(".bss");      // offset 0
//   unsigned long long nubpf_drops[N] SEC(".bss");  // offset 8, by drop slot

#include "backend/function_lowering.h"
#include "llvm/BinaryFormat/Dwarf.h"

namespace nubpf::backend {

void LowerGlobals(LoweringContext& context) {
  llvm::LLVMContext& llvm = context.module.getContext();
  for (const mir::Global& global : context.mir.globals) {
    bool is_bool = global.type.kind == mir::TypeKind::kBool;
    llvm::Type* type = is_bool ? llvm::Type::getInt8Ty(llvm) : llvm::Type::getInt64Ty(llvm);
    auto* variable = new llvm::GlobalVariable(
        context.module, type, /*isConstant=*/false, llvm::GlobalValue::ExternalLinkage,
        llvm::ConstantInt::get(type, static_cast<uint64_t>(global.initial)), global.name);
    variable->setSection(".data");
    variable->setAlignment(llvm::Align(8));

    llvm::DIType* debug_type =
        is_bool ? context.debug.createBasicType("_Bool", 8, llvm::dwarf::DW_ATE_boolean)
                : context.debug.createBasicType("long long", 64, llvm::dwarf::DW_ATE_signed);
    unsigned line = context.source.Locate(global.span.begin).line;
    variable->addDebugInfo(context.debug.createGlobalVariableExpression(
        context.unit, global.name, global.name, context.file, line, debug_type,
        /*IsLocalToUnit=*/false));
    context.globals.push_back(variable);
  }
}

namespace {

llvm::GlobalVariable* AddCounter(LoweringContext& context, const char* name,
                                 uint32_t count) {
  llvm::Type* u64 = llvm::Type::getInt64Ty(context.module.getContext());
  llvm::Type* type = count == 1 ? u64 : llvm::ArrayType::get(u64, count);
  auto* variable = new llvm::GlobalVariable(
      context.module, type, /*isConstant=*/false, llvm::GlobalValue::ExternalLinkage,
      llvm::Constant::getNullValue(type), name);
  variable->setSection(".bss");
  variable->setAlignment(llvm::Align(8));

  llvm::DIType* debug_type = context.debug.createBasicType(
      "unsigned long long", 64, llvm::dwarf::DW_ATE_unsigned);
  if (count != 1) {
    llvm::Metadata* range = context.debug.getOrCreateSubrange(0, count);
    debug_type = context.debug.createArrayType(64 * uint64_t{count}, 64, debug_type,
                                               context.debug.getOrCreateArray(range));
  }
  variable->addDebugInfo(context.debug.createGlobalVariableExpression(
      context.unit, name, name, context.file, 0, debug_type, /*IsLocalToUnit=*/false));
  return variable;
}

}  // namespace

// `nubpf_lost` comes first, so that it sits at offset 0 whenever `.bss`
// exists: LLVM lays a section out in the order of its globals.
void LowerCounters(LoweringContext& context) {
  if (context.mir.events.empty() && context.mir.drop_slots == 0) return;
  context.lost_counter = AddCounter(context, "nubpf_lost", 1);
  if (context.mir.drop_slots > 0) {
    context.drop_counters = AddCounter(context, "nubpf_drops", context.mir.drop_slots);
  }
}

// Adds 1 to word `index` of `counter`. Programs on other CPUs add to it
// too, so the add is atomic. Its result is unused, so LLVM emits BPF's
// atomic add without fetch.
void FunctionLowering::IncrementCounter(llvm::GlobalVariable* counter, uint32_t index) {
  llvm::Value* address = builder_.CreateConstInBoundsGEP1_32(builder_.getInt64Ty(),
                                                             counter, index);
  builder_.CreateAtomicRMW(llvm::AtomicRMWInst::Add, address, builder_.getInt64(1),
                           llvm::Align(8), llvm::AtomicOrdering::Monotonic);
}

// Loads a global. Another CPU may change it between two loads, so each
// read in the source is a load of its own.
llvm::Value* FunctionLowering::LowerGlobalLoad(const mir::Instruction& instruction) {
  const mir::Global& global = context_.mir.globals[instruction.index];
  llvm::GlobalVariable* variable = context_.globals[instruction.index];
  if (global.type.kind == mir::TypeKind::kBool) {
    llvm::LoadInst* byte = builder_.CreateLoad(builder_.getInt8Ty(), variable);
    byte->setVolatile(true);
    return builder_.CreateICmpNE(byte, builder_.getInt8(0));
  }
  llvm::LoadInst* load = builder_.CreateLoad(builder_.getInt64Ty(), variable);
  load->setVolatile(true);
  return load;
}

}  // namespace nubpf::backend
