// `$e.kstack` and `$e.ustack`: the kernel and user stacks at the probe, as
// instruction addresses. The probe cannot name the frames, so a stack is
// only sent to nubpf-run, which does:
//
//   emit {comm: $e.comm, stack: $e.kstack}   # an event field
//   $e.ustack | count                         # a counter key
//
// Every other use is an error here, so that no operator, command or local
// ever takes a stack.

#include "compiler/probe_checker.h"

namespace nubpf::compiler {

CheckedValue ProbeChecker::ReadStack(mir::StackKind stack, const std::string& name,
                                     frontend::Span span) {
  mir::Instruction read;
  read.opcode = mir::Opcode::kStack;
  read.type = mir::Type::Stack(stack, options_.stack_depth);
  read.span = span;
  CheckedValue value;
  value.type = read.type;
  value.span = span;
  value.name = name;
  value.id = Append(std::move(read));
  return value;
}

bool ProbeChecker::RejectStack(const CheckedValue& value, const std::string& use) {
  if (value.shape != CheckedValue::Shape::kScalar ||
      value.type.kind != mir::TypeKind::kStack) {
    return false;
  }
  bool kernel = value.type.stack == mir::StackKind::kKernel;
  std::string field = "$" + (probe_.parameter.empty() ? std::string("in") : probe_.parameter) +
                      (kernel ? ".kstack" : ".ustack");
  diagnostics_.Error(value.span,
                     std::string(kernel ? "a kernel" : "a user") + " stack cannot be " + use +
                         " in a probe, because a probe only copies a stack into an "
                         "event field or a counter key",
                     "send it with `emit {stack: " + field + "}` or count by it with `" +
                         field + " | count`; nubpf-run shows its frames by name");
  return true;
}

}  // namespace nubpf::compiler
