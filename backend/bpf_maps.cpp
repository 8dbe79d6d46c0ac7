#include "backend/bpf_maps.h"

#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/IR/Constants.h"

namespace nubpf::backend {

MapBuilder::MapBuilder(llvm::Module& module, llvm::DIBuilder& debug,
                       llvm::DICompileUnit* unit)
    : module_(module), debug_(debug), unit_(unit), file_(unit->getFile()) {
  int_type_ = debug_.createBasicType("int", 32, llvm::dwarf::DW_ATE_signed);
}

llvm::DIType* MapBuilder::IntType(unsigned bits, bool is_signed) {
  // C names, so that `bpftool btf dump` prints what a C programmer expects.
  const char* name = "unsigned long long";
  switch (bits) {
    case 8:
      name = is_signed ? "signed char" : "unsigned char";
      break;
    case 16:
      name = is_signed ? "short" : "unsigned short";
      break;
    case 32:
      name = is_signed ? "int" : "unsigned int";
      break;
    default:
      name = is_signed ? "long long" : "unsigned long long";
      break;
  }
  return debug_.createBasicType(
      name, bits, is_signed ? llvm::dwarf::DW_ATE_signed
                            : llvm::dwarf::DW_ATE_unsigned);
}

llvm::DIType* MapBuilder::BoolType() {
  return debug_.createBasicType("_Bool", 8, llvm::dwarf::DW_ATE_boolean);
}

llvm::DIType* MapBuilder::CharArrayType(uint32_t size) {
  llvm::DIType* char_type =
      debug_.createBasicType("char", 8, llvm::dwarf::DW_ATE_signed_char);
  llvm::Metadata* range = debug_.getOrCreateSubrange(0, size);
  return debug_.createArrayType(uint64_t{size} * 8, 8, char_type,
                                debug_.getOrCreateArray({range}));
}

llvm::DIType* MapBuilder::StackType(uint32_t depth, bool user) {
  llvm::DIType* u32 = IntType(32, false);
  llvm::DIType* u64 = IntType(64, false);
  llvm::Metadata* range = debug_.getOrCreateSubrange(0, depth);
  llvm::DIType* addresses = debug_.createArrayType(uint64_t{depth} * 64, 64, u64,
                                                   debug_.getOrCreateArray({range}));
  auto member = [&](const char* name, llvm::DIType* type, uint64_t offset_bits) {
    return debug_.createMemberType(unit_, name, file_, 0, type->getSizeInBits(), 0,
                                   offset_bits, llvm::DINode::FlagZero, type);
  };
  llvm::Metadata* members[] = {member("frames", u32, 0), member("pid", u32, 32),
                               member("addresses", addresses, 64)};
  std::string name =
      std::string(user ? "nubpf_ustack_" : "nubpf_kstack_") + std::to_string(depth);
  return debug_.createStructType(unit_, name, file_, 0, 64 + uint64_t{depth} * 64, 64,
                                 llvm::DINode::FlagZero, nullptr,
                                 debug_.getOrCreateArray(members));
}

llvm::DIType* MapBuilder::ArrayType(llvm::DIType* element, uint32_t count) {
  llvm::Metadata* range = debug_.getOrCreateSubrange(0, count);
  return debug_.createArrayType(element->getSizeInBits() * count,
                                element->getAlignInBits(), element,
                                debug_.getOrCreateArray({range}));
}

llvm::DIType* MapBuilder::StructType(const std::string& name, uint64_t size_bits,
                                     const std::vector<DebugMember>& members) {
  std::vector<llvm::Metadata*> elements;
  for (const DebugMember& member : members) {
    elements.push_back(debug_.createMemberType(
        unit_, member.name, file_, 0, member.type->getSizeInBits(), 0,
        member.offset_bits, llvm::DINode::FlagZero, member.type));
  }
  return debug_.createStructType(unit_, name, file_, 0, size_bits, 64,
                                 llvm::DINode::FlagZero, nullptr,
                                 debug_.getOrCreateArray(elements));
}

llvm::DIDerivedType* MapBuilder::NumberMember(const char* name, uint32_t value,
                                              uint64_t offset_bits) {
  // `int (*name)[value]`: libbpf reads `value` from the array's size.
  llvm::Metadata* range = debug_.getOrCreateSubrange(0, value);
  llvm::DIType* array = debug_.createArrayType(
      uint64_t{value} * 32, 32, int_type_, debug_.getOrCreateArray({range}));
  return TypeMember(name, array, offset_bits);
}

llvm::DIDerivedType* MapBuilder::TypeMember(const char* name, llvm::DIType* type,
                                            uint64_t offset_bits) {
  llvm::DIType* pointer = debug_.createPointerType(type, 64);
  return debug_.createMemberType(unit_, name, file_, 0, 64, 64, offset_bits,
                                 llvm::DINode::FlagZero, pointer);
}

llvm::GlobalVariable* MapBuilder::Declare(const std::string& name,
                                          unsigned members) {
  llvm::LLVMContext& context = module_.getContext();
  std::vector<llvm::Type*> fields(members, llvm::PointerType::get(context, 0));
  llvm::StructType* type = llvm::StructType::get(context, fields);
  auto* global = new llvm::GlobalVariable(
      module_, type, /*isConstant=*/false, llvm::GlobalValue::ExternalLinkage,
      llvm::ConstantAggregateZero::get(type), name);
  global->setSection(".maps");
  global->setAlignment(llvm::Align(8));
  return global;
}

void MapBuilder::Define(llvm::GlobalVariable* global,
                        const MapDefinition& definition) {
  std::vector<llvm::Metadata*> members;
  uint64_t offset = 0;
  members.push_back(
      NumberMember("type", static_cast<uint32_t>(definition.type), offset));
  offset += 64;
  members.push_back(NumberMember("max_entries", definition.max_entries, offset));
  offset += 64;
  if (definition.key != nullptr) {
    members.push_back(TypeMember("key", definition.key, offset));
    offset += 64;
  }
  if (definition.value != nullptr) {
    members.push_back(TypeMember("value", definition.value, offset));
    offset += 64;
  }

  llvm::DICompositeType* layout = debug_.createStructType(
      unit_, "", file_, 0, offset, 64, llvm::DINode::FlagZero, nullptr,
      debug_.getOrCreateArray(members));
  llvm::DIGlobalVariableExpression* variable =
      debug_.createGlobalVariableExpression(unit_, definition.name,
                                            definition.name, file_, 0, layout,
                                            /*IsLocalToUnit=*/false);
  global->addDebugInfo(variable);
}

}  // namespace nubpf::backend
