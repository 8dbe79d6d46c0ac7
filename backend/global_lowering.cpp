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
