// `ADDRESS | read-user-string`: a NUL-terminated string read from the
// memory of the process that the probe fires in, such as the `char *`
// that a uretprobe's `retval` or a uprobe's `arg0` holds.

#include "compiler/probe_checker.h"

namespace nubpf::compiler {

using mir::Opcode;
using mir::Type;
using mir::TypeKind;

std::optional<CheckedValue> ProbeChecker::CheckReadUserString(
    const frontend::CommandCall& call, const std::optional<CheckedValue>& input) {
  constexpr const char* kExample = "`$e.retval | read-user-string` in a uretprobe";
  if (!input) {
    diagnostics_.Error(call.name_span, "`read-user-string` needs an address piped into it",
                       std::string("pipe in an int that holds a `char *`, such as ") + kExample);
    return std::nullopt;
  }
  if (!call.arguments.empty()) {
    diagnostics_.Error(call.arguments[0].span,
                       "`read-user-string` takes no arguments",
                       "pipe the address into it: `$e.retval | read-user-string`");
    return std::nullopt;
  }
  bool kernel_pointer = input->shape == CheckedValue::Shape::kScalar &&
                        input->type.kind == TypeKind::kPointer &&
                        input->type.space == mir::AddressSpace::kKernel;
  if (kernel_pointer) {
    diagnostics_.Error(input->span,
                       "`read-user-string` reads user memory, and " + input->Described() +
                           " points into the kernel's",
                       "read a string member of it with a cell path, such as `$e.task.comm`");
    return std::nullopt;
  }
  // An address comes from the probe at run time: a literal one would be
  // the same address in every process.
  bool address = !input->IsString() && !input->is_literal &&
                 input->shape == CheckedValue::Shape::kScalar &&
                 input->type.kind == TypeKind::kInt;
  if (!address) {
    diagnostics_.Error(input->span,
                       "`read-user-string` takes an address read at run time, not " +
                           (input->is_literal ? std::string("a literal") : input->Described()),
                       std::string("pipe in an int that holds a `char *` of the traced "
                                   "process, such as ") +
                           kExample);
    return std::nullopt;
  }

  mir::ValueId operand = input->id;
  if (input->type != Type::Int(64, false)) {
    mir::Instruction cast;
    cast.opcode = Opcode::kCast;
    cast.type = Type::Int(64, false);
    cast.operands = {input->id};
    cast.span = call.span;
    operand = MakeValue(std::move(cast))->id;
  }
  // TODO: mark strings that filled the buffer as possibly cut, as for the
  // `char *` fields of tracepoints, once the event metadata has a flag for it.
  std::optional<CheckedValue> string =
      MakeString(Opcode::kUserString, options_.max_string_length, operand, call.span);
  if (string) string->name = input->name;
  return string;
}

}  // namespace nubpf::compiler
