#include "compiler/types.h"

namespace nubpf::mir {

uint32_t Type::SizeInBytes() const {
  switch (kind) {
    case TypeKind::kBool:
      return 1;
    case TypeKind::kInt:
      return bits / 8;
    case TypeKind::kString:
      return capacity;
    case TypeKind::kPointer:
      return 8;
    case TypeKind::kStack:
      return kStackHeaderSize + 8 * stack_depth;
  }
  return 0;
}

std::string Type::ToString() const {
  switch (kind) {
    case TypeKind::kBool:
      return "bool";
    case TypeKind::kInt:
      return (is_signed ? "i" : "u") + std::to_string(bits);
    case TypeKind::kString:
      return "string[" + std::to_string(capacity) + "]";
    case TypeKind::kPointer:
      return std::string(space == AddressSpace::kKernel ? "kernel(" : "user(") +
             pointee_name + " *)";
    case TypeKind::kStack:
      return std::string(stack == StackKind::kKernel ? "kstack[" : "ustack[") +
             std::to_string(stack_depth) + "]";
  }
  return "?";
}

bool Type::operator==(const Type& other) const {
  if (kind != other.kind) return false;
  switch (kind) {
    case TypeKind::kBool:
      return true;
    case TypeKind::kInt:
      return bits == other.bits && is_signed == other.is_signed;
    case TypeKind::kString:
      return capacity == other.capacity;
    case TypeKind::kPointer:
      return space == other.space && pointee == other.pointee &&
             pointee_name == other.pointee_name;
    case TypeKind::kStack:
      return stack == other.stack && stack_depth == other.stack_depth;
  }
  return false;
}

}  // namespace nubpf::mir
