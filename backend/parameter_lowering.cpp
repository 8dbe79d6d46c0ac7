// Parameters: each flag of `def main` is an LLVM global in `.rodata`, in C
// terms
//
//   const volatile long long min_bytes SEC(".rodata") = 1;
//   const volatile char comm[264] SEC(".rodata") = "";
//
// libbpf makes `.rodata` the array map `OBJ.rodata`. nubpf-run writes the
// values from its command line into the map's initial value before it
// loads the object, and libbpf freezes the map, so that the verifier knows
// each value and skips the branches it rules out.
//
// The globals are externally initialized, so LLVM never reads their
// initializer in place of a load: the value the program sees is the one
// the loader wrote. Each is 8-byte aligned, at mir::Parameter::offset, and
// a string's buffer has the zeros after its capacity that string commands
// read (PaddedSize in string_lowering.cpp).

#include "backend/function_lowering.h"
#include "llvm/BinaryFormat/Dwarf.h"

namespace nubpf::backend {

namespace {

uint32_t SlotSize(const mir::Parameter& parameter) {
  if (parameter.type.kind == mir::TypeKind::kString) {
    return (parameter.type.capacity + 8) / 8 * 8;
  }
  return parameter.type.kind == mir::TypeKind::kBool ? 1 : 8;
}

llvm::Constant* InitialValue(llvm::LLVMContext& llvm, const mir::Parameter& parameter) {
  switch (parameter.type.kind) {
    case mir::TypeKind::kString: {
      std::vector<uint8_t> bytes(SlotSize(parameter), 0);
      std::copy(parameter.initial_text.begin(), parameter.initial_text.end(), bytes.begin());
      return llvm::ConstantDataArray::get(llvm, bytes);
    }
    case mir::TypeKind::kBool:
      return llvm::ConstantInt::get(llvm::Type::getInt8Ty(llvm), parameter.initial);
    case mir::TypeKind::kInt:
    case mir::TypeKind::kStack:
    case mir::TypeKind::kPointer:
      break;
  }
  return llvm::ConstantInt::get(llvm::Type::getInt64Ty(llvm),
                                static_cast<uint64_t>(parameter.initial));
}

// The C type of the parameter, `const volatile` as libbpf's skeletons
// expect of `.rodata` variables.
llvm::DIType* DebugType(LoweringContext& context, const mir::Parameter& parameter) {
  llvm::DIBuilder& debug = context.debug;
  llvm::DIType* base = nullptr;
  switch (parameter.type.kind) {
    case mir::TypeKind::kString: {
      llvm::DIType* element = debug.createBasicType("char", 8, llvm::dwarf::DW_ATE_signed_char);
      uint32_t size = SlotSize(parameter);
      base = debug.createArrayType(size * 8, 8, element,
                                   debug.getOrCreateArray({debug.getOrCreateSubrange(0, size)}));
      break;
    }
    case mir::TypeKind::kBool:
      base = debug.createBasicType("_Bool", 8, llvm::dwarf::DW_ATE_boolean);
      break;
    case mir::TypeKind::kInt:
    case mir::TypeKind::kStack:
    case mir::TypeKind::kPointer:
      base = debug.createBasicType("long long", 64, llvm::dwarf::DW_ATE_signed);
      break;
  }
  llvm::DIType* is_volatile = debug.createQualifiedType(llvm::dwarf::DW_TAG_volatile_type, base);
  return debug.createQualifiedType(llvm::dwarf::DW_TAG_const_type, is_volatile);
}

}  // namespace

void LowerParameters(LoweringContext& context) {
  llvm::LLVMContext& llvm = context.module.getContext();
  for (const mir::Parameter& parameter : context.mir.parameters) {
    llvm::Constant* initial = InitialValue(llvm, parameter);
    auto* variable = new llvm::GlobalVariable(
        context.module, initial->getType(), /*isConstant=*/true,
        llvm::GlobalValue::ExternalLinkage, initial, parameter.variable);
    variable->setExternallyInitialized(true);
    variable->setSection(".rodata");
    variable->setAlignment(llvm::Align(8));

    unsigned line = context.source.Locate(parameter.span.begin).line;
    variable->addDebugInfo(context.debug.createGlobalVariableExpression(
        context.unit, parameter.variable, parameter.variable, context.file, line,
        DebugType(context, parameter), /*IsLocalToUnit=*/false));
    context.parameters.push_back(variable);
  }
}

// Lowers the parameter reads. Returns false for any other opcode.
bool FunctionLowering::LowerParameterInstruction(const mir::Instruction& instruction) {
  llvm::GlobalVariable* variable = context_.parameters[instruction.index];
  switch (instruction.opcode) {
    case mir::Opcode::kParameterString: {
      // String commands read the bytes where they are, in the map value.
      StringSource& source = strings_[instruction.result];
      source.opcode = instruction.opcode;
      source.capacity = instruction.type.capacity;
      source.buffer = variable;
      return true;
    }
    case mir::Opcode::kParameterLoad: {
      bool is_bool = instruction.type.kind == mir::TypeKind::kBool;
      llvm::LoadInst* load =
          builder_.CreateLoad(is_bool ? builder_.getInt8Ty() : builder_.getInt64Ty(), variable);
      load->setVolatile(true);
      values_[instruction.result] =
          is_bool ? builder_.CreateICmpNE(load, builder_.getInt8(0)) : load;
      return true;
    }
    default:
      return false;
  }
}

}  // namespace nubpf::backend
