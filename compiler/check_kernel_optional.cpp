// Optional kernel members: `$e.task.member?`. When the kernel BTF the probe
// is compiled against lacks the member, the value is null at compile time,
// as for a missing record field. When it has the member, the kernel the
// probe runs on may still lack it. So the rest of the path is read under a
// CO-RE field-exists check, and the value is null at run time where the
// member is missing:
//
//   $e.task.mm?.total_vm | default 0
//
// becomes
//
//   %1: bool = core.exists task_struct.mm
//   branch %1, bb1, bb2
//   bb1:                     the member exists: read on
//     %2: kernel(struct mm_struct *) = core.read %0, task_struct.mm guarded
//     %3: u64 = core.read %2, mm_struct.total_vm
//     store local#0 %3
//     store local#1 true
//   bb2:                     it does not: 0, and not present
//     store local#0 0
//     store local#1 false
//   bb3:
//     the value is local#0, present where local#1 is true
//
// libbpf turns the field-exists check into a constant when it loads the
// program, and makes the guarded read fail to load unless the verifier
// sees that it never runs, which the constant shows. `default` and
// `== null` test the presence; other uses of an optional value are
// errors, as uses of null are.

#include <bpf/btf.h>

#include "compiler/kernel_types.h"
#include "compiler/probe_checker.h"

namespace nubpf::compiler {

using mir::Opcode;
using mir::Type;
using mir::TypeKind;
using Shape = CheckedValue::Shape;

namespace {

// The form in which a value read under a field-exists check leaves the
// check: a local of `type`, from which Rebuild makes the value again after
// the join.
struct StoredForm {
  mir::ValueId stored = mir::kNoValue;
  Type type;
  // For strings: the opcode that reads the bytes at the stored address.
  Opcode string_opcode = Opcode::kConstInt;
  uint32_t capacity = 0;
  bool is_object = false;
};

const mir::Instruction* FindDefinition(const mir::Function& function, mir::ValueId value) {
  for (const mir::Block& block : function.blocks) {
    for (const mir::Instruction& instruction : block.instructions) {
      if (instruction.result == value) return &instruction;
    }
  }
  return nullptr;
}

}  // namespace

std::optional<CheckedValue> ProbeChecker::CheckOptionalMember(
    const CheckedValue& object, std::vector<CellPathMember> members, size_t index,
    frontend::Span span) {
  const CellPathMember& member = members[index];
  std::optional<CheckedValue> probed = AppendKernelMember(object, member);
  if (!probed) return std::nullopt;
  mir::Instruction exists;
  exists.opcode = Opcode::kCoreFieldExists;
  exists.type = Type::Bool();
  exists.access = probed->kernel.access;
  exists.span = member.span;
  mir::ValueId condition = Append(std::move(exists));

  mir::BlockId then_block = NewBlock();
  mir::BlockId else_block = NewBlock();
  mir::BlockId join = NewBlock();
  Branch(condition, then_block, else_block);

  // Inside the check the member exists, so the path goes on without `?`.
  current_block_ = then_block;
  CheckedValue guarded = object;
  guarded.kernel.access.guarded = true;
  members[index].optional = false;
  std::optional<CheckedValue> inner = CheckKernelPath(guarded, members, index, span);
  if (!inner) return std::nullopt;
  if (inner->shape == Shape::kNull) {
    Jump(join);
    current_block_ = else_block;
    Jump(join);
    current_block_ = join;
    return NullValue(span);
  }
  mir::ValueId inner_present = mir::kNoValue;
  CheckedValue value = *inner;
  if (value.shape == Shape::kOptional) {
    inner_present = value.present;
    // The element is copied out before the assignment frees it.
    CheckedValue present_value = value.elements[0];
    value = std::move(present_value);
  }

  // Only a value in a local crosses the join. A string is stored as the
  // address it is read from, and an object as the address it starts at.
  StoredForm form;
  if (value.shape == Shape::kKernelObject) {
    const KernelBtf* btf = KernelTypes(span);
    const struct btf_type* type = btf->Type(value.kernel.btf_id);
    if (!btf_is_composite(type) || type->name_off == 0) {
      diagnostics_.Error(member.span,
                         "`" + value.kernel.type_name + "` cannot be optional yet; "
                             "read a member of it in the same cell path, such as `." +
                             member.name + "?.0`");
      return std::nullopt;
    }
    form.is_object = true;
    form.type = Type::Int(64, false);
    form.stored = value.kernel.base;
    if (!value.kernel.access.path.empty()) {
      mir::Instruction address;
      address.opcode = Opcode::kCoreAddress;
      address.type = form.type;
      address.operands = {value.kernel.base};
      address.access = value.kernel.access;
      address.span = span;
      form.stored = Append(std::move(address));
    }
  } else if (value.IsString()) {
    const mir::Instruction* read = FindDefinition(*function_, value.id);
    form.string_opcode = read->opcode;
    form.capacity = read->type.capacity;
    form.type = Type::Int(64, false);
    form.stored = read->operands[0];
  } else {
    form.type = value.type;
    form.stored = value.id;
  }

  auto store = [&](uint32_t local, mir::ValueId stored) {
    mir::Instruction instruction;
    instruction.opcode = Opcode::kLocalStore;
    instruction.index = local;
    instruction.operands = {stored};
    instruction.span = span;
    Append(std::move(instruction));
  };
  auto constant = [&](const Type& type, int64_t number) {
    mir::Instruction instruction;
    instruction.opcode = type.kind == TypeKind::kBool ? Opcode::kConstBool : Opcode::kConstInt;
    instruction.type = type;
    instruction.int_value = number;
    instruction.span = span;
    return Append(std::move(instruction));
  };
  uint32_t value_local = NewLocal(form.type);
  uint32_t present_local = NewLocal(Type::Bool());
  store(value_local, form.stored);
  store(present_local, inner_present != mir::kNoValue ? inner_present
                                                      : constant(Type::Bool(), 1));
  Jump(join);
  current_block_ = else_block;
  store(value_local, constant(form.type, 0));
  store(present_local, constant(Type::Bool(), 0));
  Jump(join);

  current_block_ = join;
  auto load = [&](uint32_t local, const Type& type) {
    mir::Instruction instruction;
    instruction.opcode = Opcode::kLocalLoad;
    instruction.index = local;
    instruction.type = type;
    instruction.span = span;
    return Append(std::move(instruction));
  };
  mir::ValueId loaded = load(value_local, form.type);
  CheckedValue rebuilt = value;
  rebuilt.span = span;
  if (form.is_object) {
    KernelTypeTable table(*KernelTypes(span), &module_->kernel_types);
    rebuilt.kernel.base = loaded;
    rebuilt.kernel.access = {};
    rebuilt.kernel.access.root = *table.Add(value.kernel.btf_id);
  } else if (form.capacity != 0) {
    mir::Instruction string;
    string.opcode = form.string_opcode;
    string.type = Type::String(form.capacity);
    string.operands = {loaded};
    string.span = span;
    rebuilt.id = Append(std::move(string));
  } else {
    rebuilt.id = loaded;
  }

  CheckedValue result;
  result.shape = Shape::kOptional;
  result.span = span;
  result.name = value.name;
  result.present = load(present_local, Type::Bool());
  result.elements = {std::move(rebuilt)};
  return result;
}

// The members after an optional value: read through it, which gives 0 where
// it is null, and null where it is.
std::optional<CheckedValue> ProbeChecker::FollowOptional(
    const CheckedValue& optional, std::vector<CellPathMember> members, size_t first,
    frontend::Span span) {
  std::optional<CheckedValue> inner =
      CheckKernelPath(optional.elements[0], std::move(members), first, span);
  if (!inner) return std::nullopt;
  if (inner->shape == Shape::kNull) return NullValue(span);
  CheckedValue result = optional;
  result.span = span;
  result.name = inner->name;
  if (inner->shape != Shape::kOptional) {
    result.elements = {std::move(*inner)};
    return result;
  }
  mir::Instruction both;
  both.opcode = Opcode::kBinary;
  both.binary_op = mir::BinaryOp::kBitAnd;
  both.type = Type::Bool();
  both.operands = {optional.present, inner->present};
  both.span = span;
  result.present = Append(std::move(both));
  result.elements = {inner->elements[0]};
  return result;
}

std::optional<CheckedValue> ProbeChecker::CheckKernelNull(frontend::BinaryOp op,
                                                          const CheckedValue& value,
                                                          frontend::Span span) {
  bool equal = op == frontend::BinaryOp::kEqual;
  // A struct inside another is never null.
  if (value.shape == Shape::kKernelObject) return MakeBool(!equal, span);
  if (value.shape == Shape::kOptional) {
    CheckedValue present;
    present.type = Type::Bool();
    present.span = span;
    present.id = value.present;
    return equal ? Negate(present) : present;
  }
  // A pointer is null when its address is 0.
  mir::Instruction zero;
  zero.opcode = Opcode::kConstInt;
  zero.type = Type::Int(64, false);
  zero.span = span;
  mir::Instruction compare;
  compare.opcode = Opcode::kBinary;
  compare.binary_op = equal ? mir::BinaryOp::kEqual : mir::BinaryOp::kNotEqual;
  compare.type = Type::Bool();
  compare.operands = {Materialize(value, zero.type), Append(std::move(zero))};
  compare.span = span;
  return MakeValue(std::move(compare));
}

std::optional<CheckedValue> ProbeChecker::CheckOptionalDefault(
    const CheckedValue& optional, const CheckedValue& fallback, frontend::Span span) {
  const CheckedValue& value = optional.elements[0];
  bool value_int = value.shape == Shape::kScalar && value.type.kind == TypeKind::kInt;
  bool value_bool = value.shape == Shape::kScalar && value.type.kind == TypeKind::kBool;
  bool fallback_int = fallback.is_literal ||
                      (fallback.shape == Shape::kScalar && !fallback.is_string_literal &&
                       fallback.type.kind == TypeKind::kInt);
  bool fallback_bool = fallback.shape == Shape::kScalar && !fallback.is_literal &&
                       !fallback.is_string_literal && fallback.type.kind == TypeKind::kBool;
  bool agrees = (value_int && fallback_int) || (value_bool && fallback_bool) ||
                (value.IsString() && fallback.IsString());
  if (!agrees) {
    diagnostics_.Error(fallback.span,
                       "`default` gives " + fallback.Described() +
                           " in place of " + value.Described(),
                       value.shape == Shape::kScalar && value.type.kind == TypeKind::kPointer
                           ? "compare a pointer with `null` instead"
                           : "give a default of the same type, such as `default 0`");
    return std::nullopt;
  }
  // Nushell keeps the default's type, so `stop-timer | default 0` is an
  // int or a duration there, as the key has a value or not. A probe's
  // value has one type, so the default must have the value's unit.
  if (value_int && fallback.unit != value.unit) {
    diagnostics_.Error(fallback.span,
                       "`default` gives " + DescribeUnit(fallback.unit) + " in place of " +
                           DescribeUnit(value.unit),
                       std::string("give a default of the same unit, such as `default ") +
                           ZeroLiteral(value.unit) + "`");
    return std::nullopt;
  }

  mir::BlockId then_block = NewBlock();
  mir::BlockId else_block = NewBlock();
  mir::BlockId join = NewBlock();
  Branch(optional.present, then_block, else_block);
  return JoinBranches({{then_block, value}, {else_block, fallback}}, join, span,
                      "`default`");
}

}  // namespace nubpf::compiler
