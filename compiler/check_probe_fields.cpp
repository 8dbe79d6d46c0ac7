// The probe record's fields: a tracepoint's own fields, a function's
// arguments and return value, and the fields every probe has.
#include <cctype>

#include "compiler/kernel_btf.h"
#include "compiler/probe_checker.h"
#include "compiler/probe_fields.h"
#include "compiler/suggest.h"

namespace nubpf::compiler {

using mir::Opcode;
using mir::Type;

// The maximum elements of a tracepoint array read as a list, since each
// element is a value of its own while the probe is checked. A larger array
// is reported as unsupported.
constexpr uint32_t kMaxListFieldElements = 64;

std::optional<CheckedValue> ProbeChecker::CheckEventField(
    const CellPathMember& member, frontend::Span span, const std::string& variable) {
  if (const TracepointField* info = target_.format.FindField(member.name)) {
    return CheckTracepointField(member, span, *info);
  }
  if (const ProbeArgument* argument = FindArgument(member.name)) {
    return CheckArgument(span, member.name, *argument);
  }
  if (std::optional<CommonFieldInfo> common = LookupCommonField(member.name)) {
    mir::Instruction read;
    read.opcode = common->opcode;
    read.probe_value = common->probe_value;
    read.type = common->type;
    read.span = span;
    if (!common->kernel_struct.empty()) {
      std::optional<Type> pointer =
          KernelStructPointerType(std::string(common->kernel_struct), span);
      if (!pointer) return std::nullopt;
      read.type = *pointer;
    }
    CheckedValue value;
    value.type = read.type;
    value.span = span;
    value.name = member.name;
    value.id = Append(std::move(read));
    return value;
  }
  if (std::optional<mir::StackKind> stack = LookupStackField(member.name)) {
    return ReadStack(*stack, member.name, span);
  }

  if (member.optional) return NullValue(span);
  ReportUnknownField(member, variable);
  return std::nullopt;
}

const ProbeArgument* ProbeChecker::FindArgument(const std::string& name) const {
  for (const ProbeArgument& argument : target_.arguments) {
    if (argument.name == name) return &argument;
  }
  if (target_.retval && target_.retval->name == name) return &*target_.retval;
  return nullptr;
}

// Arguments are integers loaded from the context, or constants that a
// USDT note gives. The kernel's BTF gives a kernel argument its real type:
// an integer of its width, an enum, a string, or a pointer to follow.
std::optional<CheckedValue> ProbeChecker::CheckArgument(frontend::Span span,
                                                        const std::string& name,
                                                        const ProbeArgument& argument) {
  if (!argument.unsupported.empty()) {
    diagnostics_.Error(span, argument.unsupported,
                       "read the value in a probe on a function that takes it");
    return std::nullopt;
  }
  if (argument.user_memory_displacement) return CheckUserMemoryArgument(span, name, argument);
  mir::Instruction load;
  load.opcode = argument.constant ? Opcode::kConstInt : Opcode::kContextLoad;
  load.int_value = argument.constant.value_or(0);
  load.offset = argument.context_offset;
  load.type = argument.load_type;
  load.span = span;
  CheckedValue value;
  value.span = span;
  value.name = name;
  value.type = load.type;
  value.id = Append(std::move(load));

  if (argument.btf_type_id == 0) return value;
  if (environment_.Btf(span, diagnostics_) == nullptr) return std::nullopt;
  // Arguments with a BTF type belong to kernel functions and tracepoints.
  // TODO: a `__user` pointer argument is user memory. BTF marks it only
  // when the kernel was built with BTF type tags, which this compiler does
  // not read yet, so such a pointer reads as kernel memory.
  return TypeKernelValue(value.id, argument.btf_type_id, mir::AddressSpace::kKernel, name,
                         span);
}

// A USDT argument in user memory, such as `-4@8(%rbx)`: the base register
// plus the displacement is the address of the value.
std::optional<CheckedValue> ProbeChecker::CheckUserMemoryArgument(
    frontend::Span span, const std::string& name, const ProbeArgument& argument) {
  mir::Instruction base;
  base.opcode = Opcode::kContextLoad;
  base.offset = argument.context_offset;
  base.type = Type::Int(64, false);
  base.span = span;
  mir::Instruction displacement;
  displacement.opcode = Opcode::kConstInt;
  displacement.int_value = *argument.user_memory_displacement;
  displacement.type = Type::Int(64, false);
  displacement.span = span;
  mir::Instruction address;
  address.opcode = Opcode::kBinary;
  address.binary_op = mir::BinaryOp::kAdd;
  address.type = Type::Int(64, false);
  address.operands = {Append(std::move(base)), Append(std::move(displacement))};
  address.span = span;

  mir::Instruction read;
  read.opcode = Opcode::kUserRead;
  read.type = argument.load_type;
  read.operands = {Append(std::move(address))};
  read.span = span;
  CheckedValue value;
  value.span = span;
  value.name = name;
  value.type = argument.load_type;
  value.id = Append(std::move(read));
  return value;
}

void ProbeChecker::ReportUnknownField(const CellPathMember& member,
                                      const std::string& variable) {
  std::vector<std::string> names = CommonFieldNames();
  std::string own;
  auto add_own = [&](const std::string& name) {
    names.push_back(name);
    own += (own.empty() ? "`" : ", `") + name + "`";
  };
  for (const TracepointField& info : target_.format.fields) {
    if (info.name.rfind("common_", 0) == 0) {
      names.push_back(info.name);
      continue;
    }
    add_own(info.name);
  }
  // Arguments are listed by name, and by position after them as a range:
  // `file`, `buf`, `arg0` to `arg1`.
  std::string last_position;
  size_t positions = 0;
  for (const ProbeArgument& argument : target_.arguments) {
    bool positional = argument.name.size() > 3 && argument.name.rfind("arg", 0) == 0 &&
                      std::isdigit(static_cast<unsigned char>(argument.name[3]));
    if (!positional) {
      add_own(argument.name);
      continue;
    }
    names.push_back(argument.name);
    last_position = argument.name;
    ++positions;
  }
  if (positions == 1) add_own("arg0");
  if (positions > 1) own += (own.empty() ? "`arg0` to `" : ", `arg0` to `") + last_position + "`";
  if (target_.retval) add_own(target_.retval->name);

  std::string nearest = NearestName(member.name, names);
  std::string help =
      nearest.empty()
          ? "the fields of " + DescribeTarget(target_) + " are " +
                (own.empty() ? "none" : own) +
                ", and every probe has `pid tid uid gid comm ts cpu cgroup task kstack ustack`"
          : "did you mean `$" + variable + "." + nearest + "`?";
  diagnostics_.Error(member.span,
                     DescribeTarget(target_) + " has no field `" + member.name + "`", help);
}

// The `syscalls` tracepoints store every argument in a u64 slot, and their
// formats declare `int dfd; size:8; signed:0`. The declared C type is the real
// one: its low bytes, read alone, give the value, so `dfd == -100` holds
// for AT_FDCWD. Returns that type when the declaration names a C integer
// type narrower than the slot, or nullopt.
static std::optional<Type> DeclaredInteger(const TracepointField& info) {
  struct CType {
    std::string_view name;
    uint8_t bytes;
    bool is_signed;
  };
  static constexpr CType kTypes[] = {
      {"int", 4, true},          {"unsigned int", 4, false}, {"short", 2, true},
      {"unsigned short", 2, false}, {"pid_t", 4, true},     {"uid_t", 4, false},
      {"gid_t", 4, false},       {"umode_t", 2, false},      {"clockid_t", 4, true},
      {"key_serial_t", 4, true}, {"u32", 4, false},          {"s32", 4, true},
      {"u16", 2, false},         {"s16", 2, true},
  };
  std::string_view declaration = info.declaration;
  if (declaration.size() <= info.name.size()) return std::nullopt;
  std::string_view type = declaration.substr(0, declaration.size() - info.name.size());
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (type.rfind("const ", 0) == 0) type.remove_prefix(6);
  for (const CType& c_type : kTypes) {
    if (c_type.name == type && c_type.bytes < info.size) {
      return Type::Int(c_type.bytes * 8, c_type.is_signed);
    }
  }
  return std::nullopt;
}

// A `bool` field, such as `group_dead` of `sched:sched_process_exit`.
static bool IsBoolField(const TracepointField& info) {
  return info.size == 1 && info.declaration == "bool " + info.name;
}

// Reads a one-byte `bool` field as a bool: any byte but 0 is true, as C
// converts it.
std::optional<CheckedValue> ProbeChecker::ReadBoolField(mir::Instruction load,
                                                        CheckedValue value) {
  frontend::Span span = load.span;
  load.type = Type::Int(8, false);
  mir::ValueId byte = Append(std::move(load));
  mir::Instruction zero;
  zero.opcode = Opcode::kConstInt;
  zero.type = Type::Int(8, false);
  zero.span = span;
  mir::Instruction test;
  test.opcode = Opcode::kBinary;
  test.binary_op = mir::BinaryOp::kNotEqual;
  test.type = Type::Bool();
  test.operands = {byte, Append(std::move(zero))};
  test.span = span;
  value.type = Type::Bool();
  value.id = Append(std::move(test));
  return value;
}

std::optional<CheckedValue> ProbeChecker::CheckTracepointField(
    const CellPathMember& member, frontend::Span span,
    const TracepointField& info) {
  // The kernel's tp_prog_is_valid_access() rejects reads of the first 8
  // bytes of a tracepoint record, where the common_* fields are.
  if (info.offset < 8) {
    diagnostics_.Error(member.span,
                       "`" + info.name + "` cannot be read by a BPF program: "
                       "the kernel hides the first 8 bytes of a tracepoint "
                       "record",
                       "use `$" + probe_.parameter + ".pid`, `.tid` or `.comm`, "
                       "which every probe has");
    return std::nullopt;
  }
  CheckedValue value;
  value.span = span;
  value.name = member.name;
  mir::Instruction load;
  load.opcode = Opcode::kContextLoad;
  load.offset = info.offset;
  load.span = span;

  switch (info.shape) {
    case TracepointFieldShape::kInteger:
      if (info.size != 1 && info.size != 2 && info.size != 4 && info.size != 8) {
        break;
      }
      if (IsBoolField(info)) return ReadBoolField(std::move(load), std::move(value));
      load.type = Type::Int(info.size * 8, info.is_signed);
      if (std::optional<Type> declared = DeclaredInteger(info)) load.type = *declared;
      value.type = load.type;
      value.id = Append(std::move(load));
      return value;
    case TracepointFieldShape::kPointer:
      load.type = Type::Int(64, false);
      value.type = load.type;
      value.id = Append(std::move(load));
      return TypeTracepointPointer(std::move(value), info.declaration);
    case TracepointFieldShape::kCharPointer: {
      load.type = Type::Int(64, false);
      mir::ValueId address = Append(std::move(load));
      mir::Instruction read;
      read.opcode = target_.pointers_are_user ? Opcode::kUserString
                                              : Opcode::kKernelString;
      // TODO: flag strings that filled the buffer, so the loader can show
      // that they may be cut. The field metadata has no flag for it yet.
      read.type = Type::String(options_.max_string_length);
      read.operands = {address};
      read.span = span;
      value.type = read.type;
      value.id = Append(std::move(read));
      return value;
    }
    case TracepointFieldShape::kCharArray: {
      mir::Instruction read;
      read.opcode = Opcode::kContextCharArray;
      read.offset = info.offset;
      read.type = Type::String(info.size);
      read.span = span;
      value.type = read.type;
      value.id = Append(std::move(read));
      return value;
    }
    case TracepointFieldShape::kDataLoc: {
      if (info.declaration.rfind("__data_loc char[]", 0) != 0 &&
          info.declaration.rfind("__data_loc const char[]", 0) != 0) {
        break;
      }
      mir::Instruction read;
      read.opcode = Opcode::kContextDataLoc;
      read.offset = info.offset;
      read.type = Type::String(options_.max_string_length);
      read.span = span;
      value.type = read.type;
      value.id = Append(std::move(read));
      return value;
    }
    case TracepointFieldShape::kArray:
      if (std::optional<CheckedValue> list = ReadTracepointArray(span, info)) return list;
      break;
  }
  // TODO: `__data_loc` arrays of other types have a length known only at
  // run time, which a list, fixed while the probe is checked, cannot have.
  diagnostics_.Error(member.span,
                     "field `" + info.name + "` (`" + info.declaration +
                         "`) cannot be read yet: only integers, pointers, "
                         "arrays of integers, char arrays, char pointers and "
                         "`__data_loc char[]` strings are supported");
  return std::nullopt;
}

// An array of integers in the record, such as `unsigned long args[6]` or
// `__u8 saddr[4]`, is a list of that many integers, each loaded from its
// place in the record: `$e.args.1`. Loads that no use reads are removed
// by the dead code pass. Returns nothing for another kind of array.
std::optional<CheckedValue> ProbeChecker::ReadTracepointArray(frontend::Span span,
                                                              const TracepointField& info) {
  // One dimension only: `rows[2][3]` is not a list of integers.
  size_t open = info.declaration.find('[');
  size_t close = info.declaration.find(']');
  if (open == std::string::npos || close == std::string::npos || close < open + 2 ||
      info.declaration.find('[', close) != std::string::npos) {
    return std::nullopt;
  }
  uint32_t count = 0;
  for (size_t i = open + 1; i < close; ++i) {
    char digit = info.declaration[i];
    if (!std::isdigit(static_cast<unsigned char>(digit)) || count > kMaxListFieldElements) {
      return std::nullopt;
    }
    count = count * 10 + static_cast<uint32_t>(digit - '0');
  }
  if (count == 0 || count > kMaxListFieldElements || info.size % count != 0) {
    return std::nullopt;
  }
  uint32_t element_size = info.size / count;
  if (element_size != 1 && element_size != 2 && element_size != 4 && element_size != 8) {
    return std::nullopt;
  }

  CheckedValue list;
  list.shape = CheckedValue::Shape::kList;
  list.span = span;
  list.name = info.name;
  for (uint32_t i = 0; i < count; ++i) {
    mir::Instruction load;
    load.opcode = Opcode::kContextLoad;
    load.offset = info.offset + i * element_size;
    load.type = Type::Int(element_size * 8, info.is_signed);
    load.span = span;
    CheckedValue element;
    element.span = span;
    element.name = info.name;
    element.type = load.type;
    element.id = Append(std::move(load));
    list.elements.push_back(std::move(element));
  }
  return list;
}

}  // namespace nubpf::compiler
