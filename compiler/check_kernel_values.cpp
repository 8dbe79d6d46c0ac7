// Kernel values that come from outside a cell path: arguments and fields
// whose type a kernel BTF id gives (TypeKernelValue), `$e.task`, and the
// struct pointers of tracepoint records. Also the comparisons that kernel
// types add: of pointers, and of enums with enumerator names.

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

bool IsKernelComparison(const CheckedValue& lhs, const CheckedValue& rhs) {
  if (IsPointerValue(lhs) || IsPointerValue(rhs)) return true;
  return (lhs.kernel_enum != 0 && rhs.is_string_literal) ||
         (rhs.kernel_enum != 0 && lhs.is_string_literal);
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
    if (IsCharType(*btf, pointee, /*or_signed_unsigned=*/true)) {
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

  std::optional<Type> scalar = KernelScalarType(*btf, id);
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
  value.type = *scalar;
  if (btf_is_any_enum(type)) value.kernel_enum = id;
  // A u64 needs no cast: the raw slot already is one.
  if (*scalar == function_->value_types[raw]) {
    value.id = raw;
    return value;
  }
  cast.type = *scalar;
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

std::optional<CheckedValue> ProbeChecker::CheckKernelComparison(
    frontend::BinaryOp op, const CheckedValue& lhs, const CheckedValue& rhs,
    frontend::Span op_span, frontend::Span span) {
  if (lhs.kernel_enum != 0 && rhs.is_string_literal) return CheckEnumName(op, lhs, rhs, span);
  if (rhs.kernel_enum != 0 && lhs.is_string_literal) return CheckEnumName(op, rhs, lhs, span);

  const CheckedValue& pointer = IsPointerValue(lhs) ? lhs : rhs;
  const CheckedValue& other = IsPointerValue(lhs) ? rhs : lhs;
  if (IsPointerValue(other) && other.type.space != pointer.type.space) {
    diagnostics_.Error(op_span,
                       "cannot compare `" + lhs.type.ToString() + "` with `" +
                           rhs.type.ToString() + "`: one points into kernel memory "
                           "and the other into the memory of a process");
    return std::nullopt;
  }
  if (!IsPointerValue(other) && !(other.is_literal && other.literal == 0)) {
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
                       nearest.empty() ? "its enumerators are " + ListNamesForHelp(names)
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
