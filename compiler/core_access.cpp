#include "compiler/core_access.h"

namespace nubpf::mir {

std::optional<std::vector<AccessStep>> ResolveAccess(
    const std::vector<KernelType>& types, const CoreAccess& access,
    std::string* error) {
  if (access.root >= types.size()) {
    *error = "names kernel type #" + std::to_string(access.root) + ", which does not exist";
    return std::nullopt;
  }
  std::vector<AccessStep> steps;
  KernelTypeId current = access.root;
  for (uint32_t step : access.path) {
    const KernelType& type = types[current];
    AccessStep resolved;
    resolved.parent = current;
    switch (type.kind) {
      case KernelTypeKind::kStruct:
      case KernelTypeKind::kUnion: {
        bool found = false;
        for (uint32_t i = 0; i < type.members.size(); ++i) {
          if (type.members[i].btf_index != step) continue;
          resolved.position = i;
          resolved.member = &type.members[i];
          resolved.type = type.members[i].type;
          found = true;
        }
        if (!found) {
          *error = "names member " + std::to_string(step) + " of " +
                   KernelTypeLabel(types, current) + ", which lists no such member";
          return std::nullopt;
        }
        break;
      }
      case KernelTypeKind::kArray:
        // A flexible array (count 0) takes any index.
        if (type.count != 0 && step >= type.count) {
          *error = "indexes " + KernelTypeLabel(types, current) + " at " +
                   std::to_string(step);
          return std::nullopt;
        }
        resolved.position = step;
        resolved.type = type.target;
        break;
      case KernelTypeKind::kInt:
      case KernelTypeKind::kBool:
      case KernelTypeKind::kChar:
      case KernelTypeKind::kEnum:
      case KernelTypeKind::kPointer:
        *error = "goes on past " + KernelTypeLabel(types, current) +
                 ", which has no members";
        return std::nullopt;
    }
    if (resolved.type >= types.size()) {
      *error = "reaches a member without a type";
      return std::nullopt;
    }
    steps.push_back(resolved);
    current = resolved.type;
  }
  return steps;
}

std::string KernelTypeLabel(const std::vector<KernelType>& types, KernelTypeId id) {
  if (id == kVoidKernelType) return "void";
  const KernelType& type = types[id];
  auto named = [&](const char* keyword) {
    return std::string(keyword) + " " +
           (type.name.empty() ? "#" + std::to_string(id) : type.name);
  };
  switch (type.kind) {
    case KernelTypeKind::kInt:
      return (type.is_signed ? "i" : "u") + std::to_string(type.size * 8);
    case KernelTypeKind::kBool:
      return "bool";
    case KernelTypeKind::kChar:
      return "char";
    case KernelTypeKind::kEnum:
      return named("enum");
    case KernelTypeKind::kPointer:
      return KernelTypeLabel(types, type.target) + " *";
    case KernelTypeKind::kArray:
      return KernelTypeLabel(types, type.target) + "[" + std::to_string(type.count) + "]";
    case KernelTypeKind::kStruct:
      return named("struct");
    case KernelTypeKind::kUnion:
      return named("union");
  }
  return "?";
}

std::string AccessText(const std::vector<KernelType>& types, const CoreAccess& access) {
  // A read of a whole value at an address, such as an array element
  // indexed at run time, has no members to name.
  if (access.path.empty()) return KernelTypeLabel(types, access.root);
  const KernelType& root = types[access.root];
  std::string text = root.name.empty() ? "#" + std::to_string(access.root) : root.name;
  std::string error;
  std::optional<std::vector<AccessStep>> steps = ResolveAccess(types, access, &error);
  if (!steps) return text + " (invalid: " + error + ")";
  for (const AccessStep& step : *steps) {
    if (step.member == nullptr) {
      text += "[" + std::to_string(step.position) + "]";
    } else {
      text += "." + (step.member->name.empty() ? std::string("(anonymous)") : step.member->name);
    }
  }
  return text;
}

}  // namespace nubpf::mir
