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

#include <algorithm>
#include <filesystem>

#include "compiler/kernel_types.h"
#include "compiler/probe_checker.h"
#include "compiler/suggest.h"

namespace nubpf::compiler {

using mir::Opcode;
using mir::Type;
using mir::TypeKind;
using Shape = CheckedValue::Shape;

static bool IsPointer(const CheckedValue& value) {
  return value.shape == Shape::kScalar && !value.is_literal &&
         !value.is_string_literal && value.type.kind == TypeKind::kPointer;
}

bool FollowsKernelMembers(const CheckedValue& value) {
  return value.shape == Shape::kKernelObject || value.shape == Shape::kOptional ||
         IsPointer(value);
}

bool IsKernelComparison(const CheckedValue& lhs, const CheckedValue& rhs) {
  if (IsPointer(lhs) || IsPointer(rhs)) return true;
  return (lhs.kernel_enum != 0 && rhs.is_string_literal) ||
         (rhs.kernel_enum != 0 && lhs.is_string_literal);
}

// True for the resolved BTF type `id` when it is `char`, whose arrays read
// as strings. With `or_signed_unsigned` set, `unsigned char` and `signed
// char` count too, as they do for pointers: the kernel keeps names in
// `const unsigned char *` (`struct qstr`), and a byte pointer cannot be
// indexed anyway.
static bool IsChar(const KernelBtf& btf, uint32_t id, bool or_signed_unsigned = false) {
  if (id == 0) return false;
  const struct btf_type* type = btf.Type(id);
  if (!btf_is_int(type) || type->size != 1) return false;
  std::string name = btf__name_by_offset(btf.handle(), type->name_off);
  if (name == "char") return true;
  return or_signed_unsigned && (name == "unsigned char" || name == "signed char");
}

// The MIR type of an int, bool or enum of the resolved BTF type `id`, or
// nullopt for other types.
static std::optional<Type> ScalarType(const KernelBtf& btf, uint32_t id) {
  if (id == 0) return std::nullopt;
  const struct btf_type* type = btf.Type(id);
  bool sized = type->size == 1 || type->size == 2 || type->size == 4 || type->size == 8;
  if (btf_is_int(type) && sized) {
    if ((btf_int_encoding(type) & BTF_INT_BOOL) != 0) return Type::Bool();
    return Type::Int(static_cast<uint8_t>(type->size * 8),
                     (btf_int_encoding(type) & BTF_INT_SIGNED) != 0);
  }
  if (btf_is_any_enum(type) && sized) {
    return Type::Int(static_cast<uint8_t>(type->size * 8), btf_kflag(type));
  }
  return std::nullopt;
}

const KernelBtf* ProbeChecker::KernelTypes(frontend::Span span) {
  return environment_.Btf(span, diagnostics_);
}

std::optional<CheckedValue> ProbeChecker::TypeKernelValue(
    mir::ValueId raw, uint32_t btf_type_id, mir::AddressSpace space,
    const std::string& name, frontend::Span span) {
  const KernelBtf* btf = KernelTypes(span);
  if (btf == nullptr) return std::nullopt;
  uint32_t id = btf->Resolve(btf_type_id);

  mir::Instruction cast;
  cast.opcode = Opcode::kCast;
  cast.operands = {raw};
  cast.span = span;
  CheckedValue value;
  value.span = span;
  value.name = name;
  const struct btf_type* type = id == 0 ? nullptr : btf->Type(id);

  if (type != nullptr && btf_is_ptr(type)) {
    uint32_t pointee = btf->Resolve(type->type);
    if (IsChar(*btf, pointee, /*or_signed_unsigned=*/true)) {
      // TODO: flag strings that filled the buffer, as for tracepoint
      // strings, once the field metadata can carry the flag.
      mir::Instruction read;
      read.opcode = space == mir::AddressSpace::kUser ? Opcode::kUserString
                                                       : Opcode::kKernelString;
      read.type = Type::String(options_.max_string_length);
      read.operands = {raw};
      read.span = span;
      value.type = read.type;
      value.id = Append(std::move(read));
      return value;
    }
    cast.type = Type::Pointer(space, pointee, btf->TypeName(pointee));
    value.type = cast.type;
    value.id = Append(std::move(cast));
    return value;
  }

  std::optional<Type> scalar = ScalarType(*btf, id);
  if (!scalar) {
    diagnostics_.Error(span,
                       "`" + name + "` has the type `" + btf->TypeName(btf_type_id) +
                           "`, which a probe cannot read yet",
                       "a probe reads integers, bools, enums and pointers");
    return std::nullopt;
  }
  if (scalar->kind == TypeKind::kBool) {
    // A bool comes in a 64-bit register as 0 or 1.
    mir::Instruction zero;
    zero.opcode = Opcode::kConstInt;
    zero.type = Type::Int(64, false);
    zero.span = span;
    mir::Instruction test;
    test.opcode = Opcode::kBinary;
    test.binary_op = mir::BinaryOp::kNotEqual;
    test.type = Type::Bool();
    test.operands = {raw, Append(std::move(zero))};
    test.span = span;
    value.type = Type::Bool();
    value.id = Append(std::move(test));
    return value;
  }
  cast.type = *scalar;
  value.type = *scalar;
  if (btf_is_any_enum(type)) value.kernel_enum = id;
  value.id = Append(std::move(cast));
  return value;
}

std::optional<CheckedValue> ProbeChecker::TypeTracepointPointer(
    CheckedValue value, const std::string& declaration) {
  // `struct stat * statbuf`, maybe after `const`: one star, one struct.
  std::string text = declaration;
  if (text.rfind("const ", 0) == 0) text.erase(0, 6);
  if (text.rfind("struct ", 0) != 0 || std::count(text.begin(), text.end(), '*') != 1) {
    return value;
  }
  std::string struct_name = text.substr(7, text.find_first_of(" *", 7) - 7);
  bool has_btf = !options_.btf_path.empty() || std::filesystem::exists(kRunningKernelBtf);
  if (!has_btf) return value;

  const KernelBtf* btf = KernelTypes(value.span);
  if (btf == nullptr) return std::nullopt;
  std::optional<uint32_t> id = btf->FindStruct(struct_name);
  if (!id) return value;
  mir::AddressSpace space = target_.pointers_are_user ? mir::AddressSpace::kUser
                                                      : mir::AddressSpace::kKernel;
  mir::Instruction cast;
  cast.opcode = Opcode::kCast;
  cast.type = Type::Pointer(space, *id, btf->TypeName(*id));
  cast.operands = {value.id};
  cast.span = value.span;
  value.type = cast.type;
  value.id = Append(std::move(cast));
  return value;
}

std::optional<Type> ProbeChecker::KernelStructPointerType(const std::string& struct_name,
                                                          frontend::Span span) {
  const KernelBtf* btf = KernelTypes(span);
  if (btf == nullptr) return std::nullopt;
  std::optional<uint32_t> id = btf->FindStruct(struct_name);
  if (!id) {
    std::string nearest = NearestName(struct_name, btf->StructNames());
    diagnostics_.Error(span,
                       "the kernel BTF in `" + btf->path() + "` has no struct `" +
                           struct_name + "`",
                       nearest.empty() ? "pass `--btf FILE` with a kernel's full BTF"
                                       : "it has `struct " + nearest + "`");
    return std::nullopt;
  }
  return Type::Pointer(mir::AddressSpace::kKernel, *id, btf->TypeName(*id));
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
  // A struct that one header only declares is defined in another.
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

// Lists names for a help line, at most 12 of them: "`a`, `b`".
static std::string ListNames(const std::vector<std::string>& names) {
  constexpr size_t kShown = 12;
  std::string listed;
  for (size_t i = 0; i < names.size() && i < kShown; ++i) {
    listed += (listed.empty() ? "`" : ", `") + names[i] + "`";
  }
  if (names.size() > kShown) listed += " and " + std::to_string(names.size() - kShown) + " more";
  return listed;
}

std::optional<CheckedValue> ProbeChecker::CheckKernelPath(
    CheckedValue value, std::vector<CellPathMember> members, size_t first,
    frontend::Span span) {
  for (size_t i = first; i < members.size(); ++i) {
    const CellPathMember& member = members[i];
    if (value.shape == Shape::kOptional) return FollowOptional(value, members, i, span);
    if (IsPointer(value)) {
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
      // length that only the kernel knows.
      if (count != 0 && *member.index >= count) {
        if (member.optional) return NullValue(span);
        diagnostics_.Error(member.span,
                           "index " + member.name + " is out of range for `" +
                               value.kernel.type_name + "`",
                           "use an index from 0 to " + std::to_string(count - 1) +
                               ", or `." + member.name + "?` for null");
        return std::nullopt;
      }
    } else if (btf->FindMember(value.kernel.btf_id, member.name).empty()) {
      if (member.optional) return NullValue(span);
      std::vector<std::string> names = btf->MemberNames(value.kernel.btf_id);
      std::string nearest = NearestName(member.name, names);
      diagnostics_.Error(member.span,
                         "`" + value.kernel.type_name + "` has no member `" +
                             member.name + "` in the kernel BTF",
                         nearest.empty() ? "its members are " + ListNames(names)
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
    if (!IsChar(*btf, btf->Resolve(btf_array(type)->type))) return object;
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
    if (IsChar(*btf, pointee, /*or_signed_unsigned=*/true)) {
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

  std::optional<Type> scalar = ScalarType(*btf, id);
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

std::optional<CheckedValue> ProbeChecker::CheckKernelComparison(
    frontend::BinaryOp op, const CheckedValue& lhs, const CheckedValue& rhs,
    frontend::Span op_span, frontend::Span span) {
  if (lhs.kernel_enum != 0 && rhs.is_string_literal) return CheckEnumName(op, lhs, rhs, span);
  if (rhs.kernel_enum != 0 && lhs.is_string_literal) return CheckEnumName(op, rhs, lhs, span);

  const CheckedValue& pointer = IsPointer(lhs) ? lhs : rhs;
  const CheckedValue& other = IsPointer(lhs) ? rhs : lhs;
  if (IsPointer(other) && other.type.space != pointer.type.space) {
    diagnostics_.Error(op_span,
                       "cannot compare `" + lhs.type.ToString() + "` with `" +
                           rhs.type.ToString() + "`: one points into kernel memory "
                           "and the other into the memory of a process");
    return std::nullopt;
  }
  if (!IsPointer(other) && !(other.is_literal && other.literal == 0)) {
    diagnostics_.Error(op_span,
                       "cannot compare the pointer `" + pointer.type.ToString() +
                           "` with " + other.Described(),
                       "compare a pointer with another pointer, with 0 or with null");
    return std::nullopt;
  }
  Type address = Type::Int(64, false);
  mir::Instruction compare;
  compare.opcode = Opcode::kBinary;
  compare.binary_op = op == frontend::BinaryOp::kEqual ? mir::BinaryOp::kEqual
                                                       : mir::BinaryOp::kNotEqual;
  compare.type = Type::Bool();
  compare.operands = {Materialize(lhs, address), Materialize(rhs, address)};
  compare.span = span;
  return MakeValue(std::move(compare));
}

// `$x.state == "TCP_ESTABLISHED"`: the name must be an enumerator of the
// value's enum in the kernel BTF. Its value comes from a CO-RE enum value
// relocation, so it is the running kernel's.
std::optional<CheckedValue> ProbeChecker::CheckEnumName(frontend::BinaryOp op,
                                                        const CheckedValue& value,
                                                        const CheckedValue& name,
                                                        frontend::Span span) {
  const KernelBtf* btf = KernelTypes(span);
  std::optional<int64_t> number = btf->FindEnumerator(value.kernel_enum, name.text);
  if (!number) {
    std::vector<std::string> names = btf->EnumeratorNames(value.kernel_enum);
    std::string nearest = NearestName(name.text, names);
    diagnostics_.Error(name.span,
                       "`" + btf->TypeName(value.kernel_enum) + "` has no enumerator `" +
                           name.text + "`",
                       nearest.empty() ? "its enumerators are " + ListNames(names)
                                       : "did you mean `\"" + nearest + "\"`?");
    return std::nullopt;
  }
  KernelTypeTable table(*btf, &module_->kernel_types);
  mir::KernelTypeId id = *table.Add(value.kernel_enum);
  table.AddEnumerator(id, name.text, *number);

  mir::Instruction enumerator;
  enumerator.opcode = Opcode::kCoreEnumValue;
  enumerator.type = value.type;
  enumerator.index = id;
  enumerator.text = name.text;
  enumerator.span = name.span;
  mir::Instruction compare;
  compare.opcode = Opcode::kBinary;
  compare.binary_op = op == frontend::BinaryOp::kEqual ? mir::BinaryOp::kEqual
                                                       : mir::BinaryOp::kNotEqual;
  compare.type = Type::Bool();
  compare.operands = {Materialize(value, value.type), Append(std::move(enumerator))};
  compare.span = span;
  return MakeValue(std::move(compare));
}

}  // namespace nubpf::compiler
