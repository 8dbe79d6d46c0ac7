// Kernel types through BTF, read with CO-RE. A pointer the kernel
// describes can be followed member by member:
//
//   probe tracepoint:syscalls:sys_enter_getppid {|e|
//     emit {ppid: $e.task.real_parent.tgid, comm: $e.task.comm}
//   }
//
// becomes
//
//   %0: kernel(struct task_struct *) = task
//   %1: kernel(struct task_struct *) = core.read %0, task_struct.real_parent
//   %2: i32 = core.read %1, task_struct.tgid
//   %3: u64 = core.addr %0, task_struct.comm
//   %4: string[16] = str.kchars %3
//
// Each `core.read` is one CO-RE relocated access and one read of kernel
// memory. A member that is a struct, a union or an array is not read:
// the path goes on inside it, so `$e.task.se.vruntime` is one access. Char
// arrays and `char *` read as strings, enums compare with enumerator
// names, and typedefs and qualifiers are looked through.

#include <bpf/btf.h>

#include <limits>

#include "compiler/kernel_types.h"
#include "compiler/probe_checker.h"
#include "compiler/suggest.h"

namespace nubpf::compiler {

using mir::Opcode;
using mir::Type;
using mir::TypeKind;
using Shape = CheckedValue::Shape;

bool IsPointerValue(const CheckedValue& value) {
  return value.shape == Shape::kScalar && !value.is_literal &&
         !value.is_string_literal && value.type.kind == TypeKind::kPointer;
}

bool FollowsKernelMembers(const CheckedValue& value) {
  return value.shape == Shape::kKernelObject || value.shape == Shape::kOptional ||
         IsPointerValue(value);
}

const KernelBtf* ProbeChecker::KernelTypes(frontend::Span span) {
  return environment_.Btf(span, diagnostics_);
}

// Turns a pointer into the object it points to, which has no members read
// yet. A user pointer, or one to something other than a named struct or
// union, cannot be followed.
std::optional<CheckedValue> ProbeChecker::Dereference(const CheckedValue& pointer,
                                                      const CellPathMember& member) {
  const Type& type = pointer.type;
  if (type.space == mir::AddressSpace::kUser) {
    diagnostics_.Error(member.span,
                       "cannot read `" + member.name + "` through the user pointer `" +
                           type.ToString() + "`: kernel struct members are read "
                           "from kernel memory, and this pointer points into the "
                           "memory of a process",
                       "only a `kernel(...)` pointer can be followed; a user "
                       "`char *` reads as a string");
    return std::nullopt;
  }
  const KernelBtf* btf = KernelTypes(member.span);
  if (btf == nullptr) return std::nullopt;
  uint32_t pointee = type.pointee;
  const struct btf_type* target = pointee == 0 ? nullptr : btf->Type(pointee);
  // A struct declared without its members (BTF_KIND_FWD) may be defined
  // under the same name elsewhere in the BTF.
  if (target != nullptr && btf_is_fwd(target)) {
    std::optional<uint32_t> full =
        btf->FindStruct(btf__name_by_offset(btf->handle(), target->name_off));
    if (full) {
      pointee = *full;
      target = btf->Type(pointee);
    }
  }
  if (target != nullptr && btf_is_fwd(target)) {
    diagnostics_.Error(member.span,
                       "cannot read `" + member.name + "` through `" + type.ToString() +
                           "`: the kernel BTF declares the struct but does not "
                           "define it, so its members are unknown");
    return std::nullopt;
  }
  if (target == nullptr || !btf_is_composite(target)) {
    diagnostics_.Error(member.span,
                       "cannot read `" + member.name + "` through `" + type.ToString() +
                           "`, which does not point to a struct or union");
    return std::nullopt;
  }
  if (target->name_off == 0) {
    // TODO: libbpf finds the type of a CO-RE access by its name, so a
    // pointer to an anonymous struct would need the access to start at the
    // typedef that names it.
    diagnostics_.Error(member.span,
                       "cannot read `" + member.name + "` through `" + type.ToString() +
                           "` yet: it points to an anonymous struct, which CO-RE "
                           "cannot find by name");
    return std::nullopt;
  }

  KernelTypeTable table(*btf, &module_->kernel_types);
  CheckedValue object;
  object.shape = Shape::kKernelObject;
  object.span = pointer.span;
  object.name = pointer.name;
  object.kernel.base = pointer.id;
  object.kernel.access.root = *table.Add(pointee);
  object.kernel.btf_id = pointee;
  object.kernel.type_name = btf->TypeName(pointee);
  return object;
}

std::optional<CheckedValue> ProbeChecker::CheckKernelPath(
    CheckedValue value, std::vector<CellPathMember> members, size_t first,
    frontend::Span span) {
  for (size_t i = first; i < members.size(); ++i) {
    const CellPathMember& member = members[i];
    if (value.shape == Shape::kOptional) return FollowOptional(value, members, i, span);
    if (IsPointerValue(value)) {
      std::optional<CheckedValue> object = Dereference(value, member);
      if (!object) return std::nullopt;
      value = std::move(*object);
    }
    if (value.shape != Shape::kKernelObject) {
      diagnostics_.Error(member.span,
                         "cannot read field `" + member.name + "` of " + value.Described(),
                         "kernel structs and unions, records and lists have members");
      return std::nullopt;
    }

    const KernelBtf* btf = KernelTypes(member.span);
    const struct btf_type* type = btf->Type(value.kernel.btf_id);
    if (btf_is_array(type)) {
      uint32_t count = btf_array(type)->nelems;
      if (!member.index) {
        diagnostics_.Error(member.span,
                           "`" + value.kernel.type_name + "` is an array, which has "
                               "elements instead of fields",
                           "read an element by its index, such as `.0`, or with "
                           "`get $i` for an index computed at run time");
        return std::nullopt;
      }
      // A flexible array member (`x[]`, with 0 elements in BTF) has a
      // length that BTF does not give, so any index that an access string
      // can hold is taken.
      bool past_end = count != 0 ? *member.index >= count
                                 : *member.index > std::numeric_limits<uint32_t>::max();
      if (past_end) {
        if (member.optional) return NullValue(span);
        diagnostics_.Error(member.span,
                           "index " + member.name + " is out of range for `" +
                               value.kernel.type_name + "`",
                           count != 0 ? "use an index from 0 to " + std::to_string(count - 1) +
                                            ", or `." + member.name + "?` for null"
                                      : "use an index below 2^32");
        return std::nullopt;
      }
    } else if (btf->FindMember(value.kernel.btf_id, member.name).empty()) {
      if (member.optional) return NullValue(span);
      std::vector<std::string> names = btf->MemberNames(value.kernel.btf_id);
      std::string nearest = NearestName(member.name, names);
      diagnostics_.Error(member.span,
                         "`" + value.kernel.type_name + "` has no member `" +
                             member.name + "` in the kernel BTF",
                         nearest.empty() ? "its members are " + ListNamesForHelp(names)
                                         : "did you mean `" + nearest + "`?");
      return std::nullopt;
    } else if (member.optional) {
      return CheckOptionalMember(value, std::move(members), i, span);
    }

    std::optional<CheckedValue> next = AppendKernelMember(value, member);
    if (!next) return std::nullopt;
    next = ReadKernelObject(std::move(*next), member, span);
    if (!next) return std::nullopt;
    value = std::move(*next);
  }
  value.span = span;
  return value;
}

// Extends an object's access with `member`, which exists: a member of a
// struct or union (through the anonymous members around it) or an
// element of an array.
std::optional<CheckedValue> ProbeChecker::AppendKernelMember(
    const CheckedValue& object, const CellPathMember& member) {
  const KernelBtf* btf = KernelTypes(member.span);
  KernelTypeTable table(*btf, &module_->kernel_types);
  CheckedValue next = object;
  const struct btf_type* type = btf->Type(object.kernel.btf_id);
  uint32_t reached = 0;
  if (btf_is_array(type)) {
    next.kernel.access.path.push_back(static_cast<uint32_t>(*member.index));
    reached = btf_array(type)->type;
  } else {
    for (const KernelBtf::MemberStep& step : btf->FindMember(object.kernel.btf_id, member.name)) {
      if (!table.AddMember(step.parent, step.index)) {
        const struct btf_member& found = btf_members(btf->Type(step.parent))[step.index];
        diagnostics_.Error(member.span,
                           "member `" + member.name + "` has the type `" +
                               btf->TypeName(found.type) +
                               "`, which a probe cannot read yet");
        return std::nullopt;
      }
      next.kernel.access.path.push_back(step.index);
      const struct btf_type* parent = btf->Type(step.parent);
      reached = btf_members(parent)[step.index].type;
      // LLVM and libbpf read a bitfield as one aligned word of up to 8
      // bytes, so one that spans two such words has no CO-RE read.
      uint32_t size = btf_member_bitfield_size(parent, step.index);
      uint32_t offset = btf_member_bit_offset(parent, step.index);
      if (size != 0 && offset / 64 != (offset + size - 1) / 64) {
        diagnostics_.Error(member.span,
                           "bitfield `" + member.name + "` spans two aligned 8-byte "
                           "words, which a CO-RE read cannot cover");
        return std::nullopt;
      }
    }
  }
  next.kernel.btf_id = btf->Resolve(reached);
  next.kernel.type_name = btf->TypeName(reached);
  next.name = member.name;
  return next;
}

// Reads what an object's access reached when it is a value: an int, a
// bool, an enum, a pointer, or a string for a char array or a `char *`.
// Structs, unions and other arrays stay objects for the members after.
std::optional<CheckedValue> ProbeChecker::ReadKernelObject(CheckedValue object,
                                                           const CellPathMember& member,
                                                           frontend::Span span) {
  const KernelBtf* btf = KernelTypes(span);
  uint32_t id = object.kernel.btf_id;
  const struct btf_type* type = id == 0 ? nullptr : btf->Type(id);
  if (type != nullptr && btf_is_composite(type)) return object;
  if (type != nullptr && btf_is_array(type)) {
    if (!IsCharType(*btf, btf->Resolve(btf_array(type)->type))) return object;
    uint32_t count = btf_array(type)->nelems;
    if (count == 0) {
      diagnostics_.Error(member.span,
                         "`" + member.name + "` is a flexible char array, whose "
                             "length the kernel BTF does not give, so it cannot be "
                             "read as a string yet");
      return std::nullopt;
    }
    return ReadKernelString(object, Opcode::kKernelCharArray, count, span);
  }

  mir::Instruction read;
  read.opcode = Opcode::kCoreRead;
  read.operands = {object.kernel.base};
  read.access = object.kernel.access;
  read.span = span;
  CheckedValue value;
  value.span = span;
  value.name = member.name;

  if (type != nullptr && btf_is_ptr(type)) {
    uint32_t pointee = btf->Resolve(type->type);
    read.type = Type::Pointer(mir::AddressSpace::kKernel, pointee, btf->TypeName(pointee));
    if (IsCharType(*btf, pointee, /*or_signed_unsigned=*/true)) {
      mir::Instruction string;
      string.opcode = Opcode::kKernelString;
      string.type = Type::String(options_.max_string_length);
      string.operands = {Append(std::move(read))};
      string.span = span;
      value.type = string.type;
      value.id = Append(std::move(string));
      return value;
    }
    value.type = read.type;
    value.id = Append(std::move(read));
    return value;
  }

  std::optional<Type> scalar = KernelScalarType(*btf, id);
  if (!scalar) {
    diagnostics_.Error(member.span,
                       "member `" + member.name + "` has the type `" +
                           btf->TypeName(id) + "`, which a probe cannot read yet",
                       "a probe reads integers, bools, enums, pointers, char "
                       "arrays and the members of structs and unions");
    return std::nullopt;
  }
  read.type = *scalar;
  value.type = *scalar;
  if (btf_is_any_enum(type)) value.kernel_enum = id;
  value.id = Append(std::move(read));
  return value;
}

// A string at the address of an object's access: `opcode` is
// kKernelCharArray for a char array of `capacity` bytes.
std::optional<CheckedValue> ProbeChecker::ReadKernelString(const CheckedValue& object,
                                                           Opcode opcode,
                                                           uint32_t capacity,
                                                           frontend::Span span) {
  mir::Instruction address;
  address.opcode = Opcode::kCoreAddress;
  address.type = Type::Int(64, false);
  address.operands = {object.kernel.base};
  address.access = object.kernel.access;
  address.span = span;
  mir::Instruction string;
  string.opcode = opcode;
  string.type = Type::String(capacity);
  string.operands = {Append(std::move(address))};
  string.span = span;
  CheckedValue value;
  value.type = string.type;
  value.span = span;
  value.name = object.name;
  value.id = Append(std::move(string));
  return value;
}

// Element `index` of a kernel array, for an index known only at run time.
// An index past the end reads as if through a null pointer: 0, or an empty
// string. The element's size is the one the kernel BTF gives.
// NOTE: an array of structs whose size differs on the running kernel is
// indexed with the wrong size; CO-RE relocates member offsets, not this.
std::optional<CheckedValue> ProbeChecker::CheckKernelIndex(const CheckedValue& array,
                                                           const CheckedValue& index,
                                                           frontend::Span span) {
  const KernelBtf* btf = KernelTypes(span);
  const struct btf_type* type = btf->Type(array.kernel.btf_id);
  if (!btf_is_array(type)) {
    diagnostics_.Error(index.span,
                       "an index computed at run time needs an array, but this is `" +
                           array.kernel.type_name + "`",
                       "read a member by its name");
    return std::nullopt;
  }
  if (index.shape != Shape::kScalar || index.type.kind != TypeKind::kInt) {
    diagnostics_.Error(index.span, "an array index must be an integer, but this is " +
                                       index.Described());
    return std::nullopt;
  }
  uint32_t element = btf->Resolve(btf_array(type)->type);
  int64_t element_size = btf__resolve_size(btf->handle(), element);
  const struct btf_type* element_type = btf->Type(element);
  if (btf_is_composite(element_type) && element_type->name_off == 0) {
    diagnostics_.Error(index.span,
                       "`" + array.kernel.type_name + "` cannot be indexed at run time "
                       "yet: its elements are anonymous structs, which CO-RE cannot "
                       "find by name");
    return std::nullopt;
  }

  mir::Instruction start;
  start.opcode = Opcode::kCoreAddress;
  start.type = Type::Int(64, false);
  start.operands = {array.kernel.base};
  start.access = array.kernel.access;
  start.span = span;
  mir::Instruction address;
  address.opcode = Opcode::kKernelArrayElement;
  address.type = Type::Int(64, false);
  address.operands = {Append(std::move(start)), Materialize(index, Type::Int(64, true))};
  address.int_value = btf_array(type)->nelems;
  address.offset = static_cast<uint32_t>(element_size);
  address.span = span;

  KernelTypeTable table(*btf, &module_->kernel_types);
  std::optional<mir::KernelTypeId> root = table.Add(element);
  if (!root) {
    diagnostics_.Error(index.span, "the elements of `" + array.kernel.type_name +
                                       "` have a type that a probe cannot read yet");
    return std::nullopt;
  }
  CheckedValue object;
  object.shape = Shape::kKernelObject;
  object.span = span;
  object.name = array.name;
  object.kernel.base = Append(std::move(address));
  object.kernel.access.root = *root;
  object.kernel.btf_id = element;
  object.kernel.type_name = btf->TypeName(element);
  CellPathMember member;
  member.name = array.name;
  member.span = index.span;
  return ReadKernelObject(std::move(object), member, span);
}

}  // namespace nubpf::compiler
