#include "tests/support/core_access.h"

#include <optional>
#include <vector>

namespace nubpf::testing {
namespace {

// What a relocation kind's access string indexes.
enum class AccessForm { kField, kType, kEnumValue };

AccessForm FormOf(bpf_core_relo_kind kind) {
  switch (kind) {
    case BPF_CORE_FIELD_BYTE_OFFSET:
    case BPF_CORE_FIELD_BYTE_SIZE:
    case BPF_CORE_FIELD_EXISTS:
    case BPF_CORE_FIELD_SIGNED:
    case BPF_CORE_FIELD_LSHIFT_U64:
    case BPF_CORE_FIELD_RSHIFT_U64:
      return AccessForm::kField;
    case BPF_CORE_TYPE_ID_LOCAL:
    case BPF_CORE_TYPE_ID_TARGET:
    case BPF_CORE_TYPE_EXISTS:
    case BPF_CORE_TYPE_SIZE:
    case BPF_CORE_TYPE_MATCHES:
      return AccessForm::kType;
    case BPF_CORE_ENUMVAL_EXISTS:
    case BPF_CORE_ENUMVAL_VALUE:
      return AccessForm::kEnumValue;
  }
  return AccessForm::kType;
}

// Splits "0:1:0:5" into its indexes; nullopt when a part is not a number.
std::optional<std::vector<uint32_t>> ParseAccess(const std::string& access) {
  std::vector<uint32_t> indexes;
  size_t start = 0;
  while (start <= access.size()) {
    size_t colon = access.find(':', start);
    if (colon == std::string::npos) colon = access.size();
    std::string part = access.substr(start, colon - start);
    if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos ||
        part.size() > 9) {
      return std::nullopt;
    }
    indexes.push_back(static_cast<uint32_t>(std::stoul(part)));
    start = colon + 1;
  }
  return indexes;
}

// Follows typedefs and const/volatile/restrict/type tags from `*id` to the
// type they name, updating `*id`.
const btf_type* SkipModifiers(const btf* object_btf, uint32_t* id) {
  const btf_type* type = btf__type_by_id(object_btf, *id);
  while (type != nullptr && (btf_is_mod(type) || btf_is_typedef(type))) {
    *id = type->type;
    type = btf__type_by_id(object_btf, *id);
  }
  return type;
}

// Returns the BTF string at `offset`, or "" when there is none.
std::string NameAt(const btf* object_btf, uint32_t offset) {
  const char* name = btf__name_by_offset(object_btf, offset);
  return name == nullptr ? "" : name;
}

std::string TypeName(const btf* object_btf, const btf_type* type) {
  std::string text = NameAt(object_btf, type->name_off);
  if (text.empty()) text = "<anon>";
  if (btf_is_struct(type)) return "struct " + text;
  if (btf_is_union(type)) return "union " + text;
  if (btf_is_any_enum(type)) return "enum " + text;
  if (btf_is_fwd(type)) return (btf_kflag(type) ? "union " : "struct ") + text;
  return text;
}

// Appends the field path of `indexes` from the root `type_id`. Worked
// example: on `struct sample { int a; struct { int b[10]; }; }`, "0:1:0:5"
// is element 0 of the root pointer (written as nothing, as in `s->`), member
// 1 (the anonymous struct, which has no name to write), its member 0 `b`,
// and element 5 of `b`: ".b[5]". Returns nullopt when an index does not fit.
std::optional<std::string> FieldPath(const btf* object_btf, uint32_t type_id,
                                     const std::vector<uint32_t>& indexes) {
  std::string path = indexes[0] == 0 ? "" : "[" + std::to_string(indexes[0]) + "]";
  uint32_t id = type_id;
  for (size_t i = 1; i < indexes.size(); ++i) {
    const btf_type* type = SkipModifiers(object_btf, &id);
    if (type == nullptr) return std::nullopt;

    if (btf_is_composite(type)) {
      if (indexes[i] >= btf_vlen(type)) return std::nullopt;
      const btf_member& member = btf_members(type)[indexes[i]];
      std::string name = NameAt(object_btf, member.name_off);
      if (!name.empty()) path += "." + name;
      id = member.type;
      continue;
    }
    if (btf_is_array(type)) {
      path += "[" + std::to_string(indexes[i]) + "]";
      id = btf_array(type)->type;
      continue;
    }
    return std::nullopt;
  }
  return path;
}

// Returns "::NAME = VALUE" of enumerator `index` of enum `type_id`.
std::optional<std::string> EnumValue(const btf* object_btf, uint32_t type_id,
                                     uint32_t index) {
  uint32_t id = type_id;
  const btf_type* type = SkipModifiers(object_btf, &id);
  if (type == nullptr || !btf_is_any_enum(type) || index >= btf_vlen(type)) {
    return std::nullopt;
  }
  if (btf_is_enum(type)) {
    const struct btf_enum& value = btf_enum(type)[index];
    return "::" + NameAt(object_btf, value.name_off) + " = " + std::to_string(value.val);
  }
  const struct btf_enum64& value = btf_enum64(type)[index];
  return "::" + NameAt(object_btf, value.name_off) + " = " +
         std::to_string(btf_enum64_value(&value));
}

}  // namespace

std::string DescribeCoreAccess(const btf* object_btf, uint32_t type_id,
                               const std::string& access, bpf_core_relo_kind kind) {
  const btf_type* root = btf__type_by_id(object_btf, type_id);
  if (root == nullptr) {
    return "type [" + std::to_string(type_id) + "], which the object's BTF lacks";
  }
  std::string root_name = TypeName(object_btf, root);
  std::string invalid = root_name + " with access \"" + access + "\", which does not fit it";

  std::optional<std::vector<uint32_t>> indexes = ParseAccess(access);
  if (!indexes) return invalid;

  std::optional<std::string> rest;
  switch (FormOf(kind)) {
    case AccessForm::kType:
      return root_name;
    case AccessForm::kEnumValue:
      rest = EnumValue(object_btf, type_id, (*indexes)[0]);
      break;
    case AccessForm::kField:
      rest = FieldPath(object_btf, type_id, *indexes);
      break;
  }
  if (!rest) return invalid;
  return root_name + *rest;
}

}  // namespace nubpf::testing
