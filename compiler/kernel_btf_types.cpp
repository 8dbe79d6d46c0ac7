// Lookups of kernel types in BTF: structs by name, members through
// anonymous structs and unions, enumerators, and C names for messages.

#include <bpf/btf.h>

#include <algorithm>

#include "compiler/kernel_btf.h"

namespace nubpf::compiler {

const struct btf_type* KernelBtf::Type(uint32_t id) const {
  return btf__type_by_id(btf_, id);
}

std::optional<uint32_t> KernelBtf::FindStruct(const std::string& name) const {
  for (int kind : {BTF_KIND_STRUCT, BTF_KIND_UNION}) {
    int id = btf__find_by_name_kind(btf_, name.c_str(), kind);
    if (id > 0) return static_cast<uint32_t>(id);
  }
  return std::nullopt;
}

const std::vector<std::string>& KernelBtf::StructNames() const {
  if (struct_names_) return *struct_names_;
  std::vector<std::string>& names = struct_names_.emplace();
  for (uint32_t id = 1; id < btf__type_cnt(btf_); ++id) {
    const struct btf_type* type = Type(id);
    if (!btf_is_composite(type) || type->name_off == 0) continue;
    names.push_back(btf__name_by_offset(btf_, type->name_off));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

uint32_t KernelBtf::Resolve(uint32_t id) const {
  // Each step goes to another type, and BTF has no cycles of typedefs and
  // modifiers, so the walk ends.
  while (id != 0) {
    const struct btf_type* type = Type(id);
    if (type == nullptr || !(btf_is_typedef(type) || btf_is_mod(type))) break;
    id = type->type;
  }
  return id;
}

std::string KernelBtf::TypeName(uint32_t id) const {
  id = Resolve(id);
  if (id == 0) return "void";
  const struct btf_type* type = Type(id);
  std::string name = btf__name_by_offset(btf_, type->name_off);
  if (name.empty()) name = "(anonymous)";
  if (btf_is_struct(type)) return "struct " + name;
  if (btf_is_union(type)) return "union " + name;
  if (btf_is_any_enum(type)) return "enum " + name;
  if (btf_is_fwd(type)) return (btf_kflag(type) ? "union " : "struct ") + name;
  if (btf_is_ptr(type)) {
    std::string pointee = TypeName(type->type);
    return pointee + (pointee.back() == '*' ? "*" : " *");
  }
  if (btf_is_array(type)) {
    return TypeName(btf_array(type)->type) + "[" +
           std::to_string(btf_array(type)->nelems) + "]";
  }
  if (btf_is_func_proto(type)) return "function";
  return name;
}

// Appends the steps to `name` in the struct or union `id` to `steps`,
// searching anonymous members depth first. Returns false when not found.
static bool FindMemberSteps(const struct btf* btf, const KernelBtf& kernel,
                            uint32_t id, const std::string& name,
                            std::vector<KernelBtf::MemberStep>* steps) {
  const struct btf_type* type = kernel.Type(id);
  if (!btf_is_composite(type)) return false;
  const struct btf_member* members = btf_members(type);
  for (uint32_t i = 0; i < btf_vlen(type); ++i) {
    const char* member_name = btf__name_by_offset(btf, members[i].name_off);
    if (member_name[0] != '\0') {
      if (name != member_name) continue;
      steps->push_back({id, i});
      return true;
    }
    steps->push_back({id, i});
    if (FindMemberSteps(btf, kernel, kernel.Resolve(members[i].type), name, steps)) {
      return true;
    }
    steps->pop_back();
  }
  return false;
}

std::vector<KernelBtf::MemberStep> KernelBtf::FindMember(uint32_t id,
                                                         const std::string& name) const {
  std::vector<MemberStep> steps;
  if (!FindMemberSteps(btf_, *this, Resolve(id), name, &steps)) steps.clear();
  return steps;
}

std::vector<std::string> KernelBtf::MemberNames(uint32_t id) const {
  std::vector<std::string> names;
  const struct btf_type* type = Type(Resolve(id));
  if (!btf_is_composite(type)) return names;
  const struct btf_member* members = btf_members(type);
  for (uint32_t i = 0; i < btf_vlen(type); ++i) {
    std::string name = btf__name_by_offset(btf_, members[i].name_off);
    if (!name.empty()) {
      names.push_back(name);
      continue;
    }
    for (std::string& nested : MemberNames(members[i].type)) {
      names.push_back(std::move(nested));
    }
  }
  return names;
}

std::optional<int64_t> KernelBtf::FindEnumerator(uint32_t id,
                                                 const std::string& name) const {
  const struct btf_type* type = Type(Resolve(id));
  for (uint32_t i = 0; i < btf_vlen(type); ++i) {
    if (btf_is_enum(type)) {
      const struct btf_enum& value = btf_enum(type)[i];
      if (name != btf__name_by_offset(btf_, value.name_off)) continue;
      // The kind flag marks a signed enum; values of others are unsigned.
      if (btf_kflag(type)) return value.val;
      return static_cast<int64_t>(static_cast<uint32_t>(value.val));
    } else if (btf_is_enum64(type)) {
      const struct btf_enum64& value = btf_enum64(type)[i];
      if (name == btf__name_by_offset(btf_, value.name_off)) {
        return static_cast<int64_t>(btf_enum64_value(&value));
      }
    }
  }
  return std::nullopt;
}

std::vector<std::string> KernelBtf::EnumeratorNames(uint32_t id) const {
  std::vector<std::string> names;
  const struct btf_type* type = Type(Resolve(id));
  for (uint32_t i = 0; i < btf_vlen(type); ++i) {
    uint32_t name_off = btf_is_enum(type) ? btf_enum(type)[i].name_off
                                          : btf_enum64(type)[i].name_off;
    names.push_back(btf__name_by_offset(btf_, name_off));
  }
  return names;
}

}  // namespace nubpf::compiler
