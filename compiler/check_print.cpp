// `print`: the probe sends only the values of a line, and nubpf-run puts
// the line together from the template in the object's metadata.
//
//   print $"pid ($e.pid) opened ($e.filename)"
//
// becomes an event with two fields and the template `pid {0} opened {1}`.

#include "compiler/probe_checker.h"

namespace nubpf::compiler {

using frontend::ExprKind;
using mir::Opcode;
using mir::Type;
using mir::TypeKind;

static void AppendText(const std::string& text, mir::EventLayout* layout) {
  if (!layout->print_parts.empty() && layout->print_parts.back().field < 0) {
    layout->print_parts.back().text += text;
    return;
  }
  layout->print_parts.push_back({text, -1});
}

// Adds one value of a line: literal text goes into the template, and any
// other int, bool or string becomes a field of the event.
bool ProbeChecker::AddPrintValue(const CheckedValue& value,
                                 mir::EventLayout* layout,
                                 mir::Instruction* emit, uint32_t* offset) {
  if (value.shape == CheckedValue::Shape::kEvent) {
    ReportWholeEvent(value);
    return false;
  }
  if (RejectStack(value, "printed with `print`")) return false;
  if (value.shape != CheckedValue::Shape::kScalar) {
    diagnostics_.Error(value.span,
                       "printing " + value.Described() +
                           " is not supported in a probe, because the probe "
                           "sends the loader only ints, bools and strings",
                       value.shape == CheckedValue::Shape::kList
                           ? "print its elements, such as `$list.0`"
                           : "print its fields, or send it with `emit`");
    return false;
  }
  // A literal goes into the template as text, except a duration or file
  // size, which the loader formats as it formats fields.
  if (value.is_string_literal || (value.is_literal && value.unit == mir::Unit::kNone)) {
    AppendText(value.is_literal ? std::to_string(value.literal) : value.text, layout);
    return true;
  }

  mir::ValueId id = MaterializeDefault(value);
  Type type = function_->value_types[id];
  uint32_t alignment = type.kind == TypeKind::kString ? 8 : type.SizeInBytes();
  *offset = (*offset + alignment - 1) / alignment * alignment;
  int32_t index = static_cast<int32_t>(layout->fields.size());
  mir::Unit unit = type == Type::Int(64, true) ? value.unit : mir::Unit::kNone;
  layout->fields.push_back({std::to_string(index), type, *offset, unit});
  layout->print_parts.push_back({"", index});
  *offset += type.SizeInBytes();
  emit->operands.push_back(id);
  return true;
}

// Adds the parts of `$"..."` in order: its text to the template, and the
// value of each `( ... )` as AddPrintValue does.
bool ProbeChecker::AddPrintInterpolation(
    const frontend::InterpolationExpr& interpolation, mir::EventLayout* layout,
    mir::Instruction* emit, uint32_t* offset) {
  for (const frontend::InterpolationPart& part : interpolation.parts) {
    if (!part.expr) {
      AppendText(part.text, layout);
      continue;
    }
    std::optional<CheckedValue> value = CheckExpr(*part.expr);
    if (!value) return false;
    if (value->shape == CheckedValue::Shape::kNothing) {
      diagnostics_.Error(part.span, "this part of the string gives no value",
                         "put a value in the parentheses, such as `($e.pid)`");
      return false;
    }
    if (!AddPrintValue(*value, layout, emit, offset)) return false;
  }
  return true;
}

bool ProbeChecker::CheckPrint(const frontend::CommandCall& call,
                              std::optional<CheckedValue> input,
                              const frontend::Expr* input_expr) {
  std::vector<const frontend::Expr*> values;
  if (input_expr != nullptr) values.push_back(input_expr);
  for (const frontend::Argument& argument : call.arguments) {
    if (!argument.flag.empty()) {
      diagnostics_.Error(argument.span,
                         "`print` takes no flags in a probe",
                         "the loader writes each line to standard output");
      return false;
    }
    values.push_back(argument.value.get());
  }
  if (values.empty() && !input) {
    diagnostics_.Error(call.span, "`print` needs a value",
                       "write `print $\"($e.comm) opened a file\"`");
    return false;
  }

  mir::EventLayout layout;
  layout.id = static_cast<uint32_t>(module_->events.size());
  layout.function = function_->name;
  layout.span = call.span;
  layout.is_print = true;
  mir::Instruction emit;
  emit.opcode = Opcode::kEmit;
  emit.index = layout.id;
  emit.span = call.span;
  uint32_t offset = mir::kEventHeaderSize;

  // `print a b` prints each value on a line of its own, as Nushell does.
  bool first = true;
  auto separate = [&]() {
    if (!first) AppendText("\n", &layout);
    first = false;
  };
  if (input) {
    separate();
    if (!AddPrintValue(*input, &layout, &emit, &offset)) return false;
  }
  for (const frontend::Expr* expr : values) {
    separate();
    if (expr->kind == ExprKind::kInterpolation) {
      const auto& interpolation = static_cast<const frontend::InterpolationExpr&>(*expr);
      if (!AddPrintInterpolation(interpolation, &layout, &emit, &offset)) return false;
      continue;
    }
    std::optional<CheckedValue> value = CheckExpr(*expr);
    if (!value || !AddPrintValue(*value, &layout, &emit, &offset)) return false;
  }
  layout.size = (offset + 7) / 8 * 8;
  emit.index = AddEvent(std::move(layout));
  Append(std::move(emit));
  return true;
}

}  // namespace nubpf::compiler
