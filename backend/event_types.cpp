// BTF types for event records.

#include "backend/event_types.h"

#include <cctype>

namespace nubpf::backend {

using mir::TypeKind;

static llvm::DIType* FieldDebugType(MapBuilder& maps, const mir::Type& type) {
  switch (type.kind) {
    case TypeKind::kBool:
      return maps.BoolType();
    case TypeKind::kInt:
      return maps.IntType(type.bits, type.is_signed);
    case TypeKind::kString:
      return maps.CharArrayType(type.capacity);
    case TypeKind::kStack:
      return maps.StackType(type.stack_depth, type.stack == mir::StackKind::kUser);
    case TypeKind::kPointer:
      return maps.IntType(64, false);
  }
  return nullptr;
}

// Returns `name` as a C identifier, which the kernel requires of BTF
// member names: other characters become `_`, and a leading digit gets one.
static std::string MemberName(const std::string& name) {
  std::string result;
  for (char c : name) {
    bool valid = std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    result += valid ? c : '_';
  }
  if (result.empty() || std::isdigit(static_cast<unsigned char>(result[0]))) {
    result.insert(0, "_");
  }
  return result;
}

llvm::DICompositeType* EventDebugType(MapBuilder& maps, llvm::DIBuilder& debug,
                                      llvm::DIFile* file,
                                      const mir::EventLayout& layout) {
  llvm::DIType* u32 = maps.IntType(32, false);
  auto member = [&](const std::string& name, llvm::DIType* type, uint64_t offset) {
    return debug.createMemberType(file, name, file, 0, type->getSizeInBits(), 0,
                                  offset * 8, llvm::DINode::FlagZero, type);
  };

  std::vector<llvm::Metadata*> members;
  members.push_back(member("event_id", u32, 0));
  members.push_back(member("btf_type_id", u32, 4));
  members.push_back(member("time_ns", maps.IntType(64, false), 8));
  for (const mir::EventField& field : layout.fields) {
    // `print` fields are numbered: value_0, value_1 and so on.
    std::string name = layout.is_print ? "value_" + field.name : MemberName(field.name);
    members.push_back(member(name, FieldDebugType(maps, field.type), field.offset));
  }
  std::string name = std::string(layout.is_print ? "nubpf_print_" : "nubpf_event_") +
                     std::to_string(layout.id);
  return debug.createStructType(file, name, file, 0, uint64_t{layout.size} * 8, 64,
                                llvm::DINode::FlagZero, nullptr,
                                debug.getOrCreateArray(members));
}

}  // namespace nubpf::backend
