#include "compiler/kernel_types.h"

#include <bpf/btf.h>

#include <algorithm>

namespace nubpf::compiler {

using mir::KernelType;
using mir::KernelTypeKind;

// Returns the entry for the resolved BTF type `btf_id`, without members and
// without the types it refers to, which Add fills in once the entry has
// its place, so that a struct can point to itself.
std::optional<KernelType> KernelTypeTable::Describe(uint32_t btf_id) {
  if (btf_id == 0) return std::nullopt;
  const struct btf_type* type = btf_.Type(btf_id);
  KernelType entry;
  entry.btf_id = btf_id;
  entry.name = btf__name_by_offset(btf_.handle(), type->name_off);
  switch (btf_kind(type)) {
    case BTF_KIND_INT: {
      uint8_t encoding = btf_int_encoding(type);
      entry.size = type->size;
      if (entry.size != 1 && entry.size != 2 && entry.size != 4 && entry.size != 8) {
        return std::nullopt;
      }
      entry.is_signed = (encoding & BTF_INT_SIGNED) != 0;
      entry.kind = KernelTypeKind::kInt;
      if ((encoding & BTF_INT_BOOL) != 0) entry.kind = KernelTypeKind::kBool;
      // pahole gives `char` no encoding; its name is what marks text.
      if (entry.name == "char" && entry.size == 1) entry.kind = KernelTypeKind::kChar;
      return entry;
    }
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64:
      entry.kind = KernelTypeKind::kEnum;
      entry.size = type->size;
      entry.is_signed = btf_kflag(type);
      return entry;
    case BTF_KIND_PTR:
      entry.kind = KernelTypeKind::kPointer;
      entry.name.clear();
      entry.size = 8;
      return entry;
    case BTF_KIND_ARRAY: {
      entry.kind = KernelTypeKind::kArray;
      entry.count = btf_array(type)->nelems;
      int64_t size = btf__resolve_size(btf_.handle(), btf_id);
      if (size < 0) return std::nullopt;
      entry.size = static_cast<uint32_t>(size);
      return entry;
    }
    case BTF_KIND_STRUCT:
      entry.kind = KernelTypeKind::kStruct;
      entry.size = type->size;
      return entry;
    case BTF_KIND_UNION:
      entry.kind = KernelTypeKind::kUnion;
      entry.size = type->size;
      return entry;
    case BTF_KIND_FWD:
      // An opaque struct, which only pointers refer to.
      entry.kind = btf_kflag(type) ? KernelTypeKind::kUnion : KernelTypeKind::kStruct;
      entry.size = 0;
      return entry;
    default:
      return std::nullopt;
  }
}

std::optional<mir::KernelTypeId> KernelTypeTable::Add(uint32_t btf_id) {
  btf_id = btf_.Resolve(btf_id);
  for (mir::KernelTypeId id = 0; id < types_.size(); ++id) {
    if (types_[id].btf_id == btf_id) return id;
  }
  std::optional<KernelType> entry = Describe(btf_id);
  if (!entry) return std::nullopt;
  auto id = static_cast<mir::KernelTypeId>(types_.size());
  types_.push_back(std::move(*entry));

  // Pointers and arrays refer to another entry. A pointee that CO-RE
  // cannot describe, such as a function, becomes `void`.
  const struct btf_type* type = btf_.Type(btf_id);
  if (btf_is_ptr(type)) {
    std::optional<mir::KernelTypeId> pointee = Add(type->type);
    types_[id].target = pointee ? *pointee : mir::kVoidKernelType;
  } else if (btf_is_array(type)) {
    std::optional<mir::KernelTypeId> element = Add(btf_array(type)->type);
    if (!element) {
      types_.pop_back();
      return std::nullopt;
    }
    types_[id].target = *element;
  }
  return id;
}

std::optional<mir::KernelTypeId> KernelTypeTable::AddMember(uint32_t btf_id,
                                                            uint32_t index) {
  std::optional<mir::KernelTypeId> parent = Add(btf_id);
  if (!parent) return std::nullopt;
  for (const mir::KernelMember& member : types_[*parent].members) {
    if (member.btf_index == index) return member.type;
  }

  const struct btf_type* type = btf_.Type(types_[*parent].btf_id);
  const struct btf_member& member = btf_members(type)[index];
  std::optional<mir::KernelTypeId> member_type = Add(member.type);
  if (!member_type) return std::nullopt;
  mir::KernelMember added;
  added.btf_index = index;
  added.name = btf__name_by_offset(btf_.handle(), member.name_off);
  added.bit_offset = btf_member_bit_offset(type, index);
  added.bitfield_size = btf_member_bitfield_size(type, index);
  added.type = *member_type;

  // Add may have grown the table, so the parent is found again by index.
  std::vector<mir::KernelMember>& members = types_[*parent].members;
  auto at = std::lower_bound(members.begin(), members.end(), index,
                             [](const mir::KernelMember& existing, uint32_t wanted) {
                               return existing.btf_index < wanted;
                             });
  members.insert(at, std::move(added));
  return *member_type;
}

bool IsCharType(const KernelBtf& btf, uint32_t id, bool or_signed_unsigned) {
  if (id == 0) return false;
  const struct btf_type* type = btf.Type(id);
  if (!btf_is_int(type) || type->size != 1) return false;
  std::string name = btf__name_by_offset(btf.handle(), type->name_off);
  if (name == "char") return true;
  return or_signed_unsigned && (name == "unsigned char" || name == "signed char");
}

std::optional<mir::Type> KernelScalarType(const KernelBtf& btf, uint32_t id) {
  if (id == 0) return std::nullopt;
  const struct btf_type* type = btf.Type(id);
  bool sized = type->size == 1 || type->size == 2 || type->size == 4 || type->size == 8;
  if (!sized) return std::nullopt;
  auto bits = static_cast<uint8_t>(type->size * 8);
  if (btf_is_int(type)) {
    if ((btf_int_encoding(type) & BTF_INT_BOOL) != 0) return mir::Type::Bool();
    return mir::Type::Int(bits, (btf_int_encoding(type) & BTF_INT_SIGNED) != 0);
  }
  if (btf_is_any_enum(type)) return mir::Type::Int(bits, btf_kflag(type));
  return std::nullopt;
}

std::string ListNamesForHelp(const std::vector<std::string>& names) {
  constexpr size_t kShown = 12;
  std::string listed;
  for (size_t i = 0; i < names.size() && i < kShown; ++i) {
    listed += (listed.empty() ? "`" : ", `") + names[i] + "`";
  }
  if (names.size() > kShown) listed += " and " + std::to_string(names.size() - kShown) + " more";
  return listed;
}

void KernelTypeTable::AddEnumerator(mir::KernelTypeId id, const std::string& name,
                                    int64_t value) {
  std::vector<mir::KernelEnumerator>& enumerators = types_[id].enumerators;
  for (const mir::KernelEnumerator& existing : enumerators) {
    if (existing.name == name) return;
  }
  enumerators.push_back({name, value});
}

}  // namespace nubpf::compiler
