// Pipelines and the commands of a probe body: events, `print`,
// and the string and conversion commands that compute values.

#include "compiler/commands.h"
#include "compiler/probe_checker.h"
#include "compiler/suggest.h"

namespace nubpf::compiler {

using frontend::ExprKind;
using mir::Opcode;
using mir::Type;
using mir::TypeKind;

std::string CheckedValue::TypeName() const {
  switch (shape) {
    case Shape::kNothing:
    case Shape::kNull:
      return "nothing";
    case Shape::kRecord:
    case Shape::kEvent:
      return "record";
    case Shape::kList:
      return "list";
    case Shape::kKernelObject:
      return kernel.type_name;
    case Shape::kOptional:
      if (elements[0].unit == mir::Unit::kDuration) return "duration or null";
      if (elements[0].unit == mir::Unit::kFileSize) return "filesize or null";
      return elements[0].TypeName() + " or null";
    case Shape::kScalar:
      break;
  }
  if (is_literal) return "int";
  if (is_string_literal) return "string";
  return type.ToString();
}

std::string CheckedValue::Described() const {
  if (shape == Shape::kEvent) return "the probe record `$" + event_variable + "`";
  std::string name = TypeName();
  bool vowel = name[0] == 'a' || name[0] == 'e' || name[0] == 'i' || name[0] == 'o';
  return (vowel ? "an `" : "a `") + name + "`";
}

std::optional<CheckedValue> ProbeChecker::MakeValue(mir::Instruction instruction) {
  CheckedValue value;
  value.type = instruction.type;
  value.span = instruction.span;
  value.id = Append(std::move(instruction));
  return value;
}

std::optional<CheckedValue> ProbeChecker::MakeString(Opcode opcode,
                                                     uint32_t capacity,
                                                     mir::ValueId operand,
                                                     frontend::Span span) {
  mir::Instruction instruction;
  instruction.opcode = opcode;
  instruction.type = Type::String(capacity);
  instruction.operands = {operand};
  instruction.span = span;
  return MakeValue(std::move(instruction));
}

std::optional<CheckedValue> ProbeChecker::CheckPipelineValue(
    const std::vector<frontend::PipelineElement>& elements) {
  std::optional<CheckedValue> value;
  for (size_t i = 0; i < elements.size(); ++i) {
    const frontend::PipelineElement& element = elements[i];
    // `$"..." | print` prints the string as `print $"..."` does: only the
    // loader formats an interpolated string.
    bool prints_interpolation =
        element.expr && element.expr->kind == ExprKind::kInterpolation &&
        i + 1 < elements.size() && elements[i + 1].command &&
        LookupCommand(elements[i + 1].command->name) == Command::kPrint;
    if (prints_interpolation) {
      if (!CheckPrint(*elements[i + 1].command, std::nullopt, element.expr.get())) {
        return std::nullopt;
      }
      value = CheckedValue();
      value->shape = CheckedValue::Shape::kNothing;
      ++i;
      continue;
    }
    if (element.expr) {
      value = CheckExpr(*element.expr);
      if (!value) return std::nullopt;
      continue;
    }
    if (i > 0 && value && value->shape == CheckedValue::Shape::kNothing) {
      diagnostics_.Error(element.span,
                         "`" + elements[i - 1].command->name +
                             "` returns nothing, so nothing goes into `" +
                             element.command->name + "`",
                         "start the pipeline with the value this command "
                         "takes");
      return std::nullopt;
    }
    value = CheckCommand(*element.command, value);
    if (!value) return std::nullopt;
  }
  return value;
}

std::optional<CheckedValue> ProbeChecker::CheckCommand(
    const frontend::CommandCall& call, std::optional<CheckedValue> input) {
  // A `def` of the file comes first, so that it can replace a built-in
  // command, as in Nushell.
  auto def = defs_.find(call.name);
  bool callable = def != defs_.end() && def->second->CallableAt(call.name_span.begin);
  if (callable) return CheckDefCall(call, *def->second, input);

  std::optional<Command> command = LookupCommand(call.name);
  if (!command && def != defs_.end()) {
    frontend::Diagnostic& error = diagnostics_.Error(
        call.name_span, "command `" + call.name + "` is not imported into this file",
        "a module's command is imported when the module writes `export def " + call.name +
            "` and this file uses the module with `*` or with `" + call.name +
            "` in its member list");
    error.labels.push_back({def->second->name_span, "defined here"});
    return std::nullopt;
  }
  if (!command) {
    std::vector<std::string> names = CommandNames();
    for (const auto& [name, unused] : defs_) names.push_back(name);
    std::string nearest = NearestName(call.name, names);
    std::string listed;
    for (const std::string& name : names) {
      listed += (listed.empty() ? "`" : ", `") + name + "`";
    }
    diagnostics_.Error(call.name_span, "unknown command `" + call.name + "`",
                       nearest.empty() ? "the commands are " + listed
                                       : "did you mean `" + nearest + "`?");
    return std::nullopt;
  }

  // `emit` and `count` take stacks, and `default` gives a stack back. The
  // other aggregations report a stack as a value that is not an int.
  bool is_aggregation = *command == Command::kCount || *command == Command::kMathSum ||
                        *command == Command::kMathAvg || *command == Command::kMathMin ||
                        *command == Command::kMathMax || *command == Command::kStats ||
                        *command == Command::kHistogram;
  bool takes_stacks = *command == Command::kEmit || *command == Command::kSend ||
                      is_aggregation || *command == Command::kDefault;
  if (input && !takes_stacks && RejectStack(*input, "the input of `" + call.name + "`")) {
    return std::nullopt;
  }

  CheckedValue nothing;
  nothing.shape = CheckedValue::Shape::kNothing;
  nothing.span = call.span;
  auto needs_input = [&]() {
    if (input) return true;
    diagnostics_.Error(call.name_span,
                       "`" + call.name + "` needs a value piped into it",
                       "write `$e.comm | " + call.name + "`");
    return false;
  };
  switch (*command) {
    case Command::kEmit:
    case Command::kSend:
      if (!CheckEmit(call, input)) return std::nullopt;
      return nothing;
    case Command::kCount:
    case Command::kMathSum:
    case Command::kMathAvg:
    case Command::kMathMin:
    case Command::kMathMax:
    case Command::kStats:
    case Command::kHistogram:
      if (!CheckAggregation(call, *command, input)) return std::nullopt;
      return nothing;
    case Command::kPrint:
      if (!CheckPrint(call, input)) return std::nullopt;
      return nothing;
    case Command::kStrLength:
    case Command::kStrDowncase:
    case Command::kStrUpcase:
    case Command::kStrContains:
    case Command::kStrStartsWith:
    case Command::kStrEndsWith:
    case Command::kStrSubstring:
      if (!needs_input()) return std::nullopt;
      return CheckStringCommand(call, *command, *input);
    case Command::kIntoInt:
    case Command::kIntoString:
      if (!needs_input()) return std::nullopt;
      return CheckInto(call, *input);
    case Command::kIntoDuration:
    case Command::kIntoFilesize:
      if (!needs_input()) return std::nullopt;
      return CheckIntoUnit(call, *input,
                           *command == Command::kIntoDuration ? mir::Unit::kDuration
                                                              : mir::Unit::kFileSize);
    case Command::kGet:
      if (!needs_input()) return std::nullopt;
      return CheckGet(call, &*input);
    case Command::kLength:
    case Command::kFirst:
    case Command::kLast:
      if (!needs_input()) return std::nullopt;
      return CheckListCommand(call, *command, *input);
    case Command::kDefault:
      if (!needs_input()) return std::nullopt;
      return CheckDefault(call, *input);
    case Command::kStoreSet:
    case Command::kStoreGet:
    case Command::kStoreDelete:
    case Command::kStartTimer:
    case Command::kStopTimer:
      return CheckStoreCommand(call, *command, input);
  }
  return std::nullopt;
}

static uint32_t AlignTo(uint32_t offset, uint32_t alignment) {
  return (offset + alignment - 1) / alignment * alignment;
}

// Adds `value` to an event as a field of its own, aligned to its size, or
// to 8 bytes for a string or a stack.
bool ProbeChecker::AddEventField(const std::string& name,
                                 const CheckedValue& value,
                                 mir::EventLayout* layout,
                                 mir::Instruction* emit) {
  if (value.shape == CheckedValue::Shape::kNull ||
      value.shape == CheckedValue::Shape::kOptional) {
    diagnostics_.Error(value.span,
                       "an event field cannot be null in a probe, because each "
                       "field has a type fixed when the probe is compiled",
                       "give a value in place of null with `default`, as in "
                       "`$r.size? | default 0`");
    return false;
  }
  if (value.shape == CheckedValue::Shape::kList) {
    diagnostics_.Error(value.span,
                       "an event field cannot hold a list in a probe, because "
                       "a list exists only while the probe is compiled",
                       "send its elements as fields of their own, such as "
                       "`{first: $list.0}`");
    return false;
  }
  if (value.shape == CheckedValue::Shape::kEvent) {
    ReportWholeEvent(value);
    return false;
  }
  if (value.shape != CheckedValue::Shape::kScalar) {
    diagnostics_.Error(value.span,
                       "an event field cannot hold " + value.Described(),
                       "send its parts as fields of their own");
    return false;
  }
  mir::ValueId id = MaterializeDefault(value);
  Type type = function_->value_types[id];
  bool is_buffer = type.kind == TypeKind::kString || type.kind == TypeKind::kStack;
  uint32_t alignment = is_buffer ? 8 : type.SizeInBytes();
  uint32_t offset = AlignTo(layout->size, alignment);
  // The loader shows a duration or a file size with its unit; only the
  // i64 that arithmetic on them gives carries one.
  mir::Unit unit = type == Type::Int(64, true) ? value.unit : mir::Unit::kNone;
  layout->fields.push_back({name, type, offset, unit});
  layout->size = offset + type.SizeInBytes();
  emit->operands.push_back(id);
  return true;
}

// `emit {record}`, `{record} | emit` and the original proposal's
// `send($value)`, which sends one field named after the value.
bool ProbeChecker::CheckEmit(const frontend::CommandCall& call,
                             std::optional<CheckedValue> input) {
  bool is_send = call.name == "send";
  const char* usage = is_send ? "write `send($e.pid)`" : "write `emit {pid: $e.pid}`";
  for (const frontend::Argument& argument : call.arguments) {
    if (!argument.flag.empty() || input) {
      diagnostics_.Error(argument.span,
                         is_send ? "`send` takes one value" : "`emit` takes one record",
                         usage);
      return false;
    }
    input = CheckExpr(*argument.value);
    if (!input) return false;
  }
  if (!input) {
    diagnostics_.Error(call.span,
                       is_send ? "`send` needs a value" : "`emit` needs a record",
                       usage);
    return false;
  }

  std::vector<std::pair<std::string, CheckedValue>> fields;
  if (is_send) {
    fields.push_back({input->name.empty() ? "value" : input->name, *input});
  } else if (input->shape == CheckedValue::Shape::kEvent) {
    ReportWholeEvent(*input);
    return false;
  } else if (input->shape != CheckedValue::Shape::kRecord) {
    diagnostics_.Error(input->span,
                       "`emit` takes a record, but this is " + input->Described(),
                       usage);
    return false;
  } else {
    fields = input->fields;
  }
  if (fields.empty()) {
    diagnostics_.Error(input->span, "an emitted record needs at least one field");
    return false;
  }

  mir::EventLayout layout;
  layout.id = static_cast<uint32_t>(module_->events.size());
  layout.function = function_->name;
  layout.span = call.span;
  layout.size = mir::kEventHeaderSize;
  mir::Instruction emit;
  emit.opcode = Opcode::kEmit;
  emit.index = layout.id;
  emit.span = call.span;
  for (const auto& [name, value] : fields) {
    if (!AddEventField(name, value, &layout, &emit)) return false;
  }
  layout.size = AlignTo(layout.size, 8);
  emit.index = AddEvent(std::move(layout));
  Append(std::move(emit));
  return true;
}

// Two layouts that the same source sends alike: the same site, fields and
// print template. The programs may differ, as the matches of a wildcard
// target do, and the event keeps the first one's name.
static bool SameEvent(const mir::EventLayout& a, const mir::EventLayout& b) {
  if (a.span.begin != b.span.begin ||
      a.span.end != b.span.end || a.is_print != b.is_print || a.size != b.size ||
      a.fields.size() != b.fields.size() || a.print_parts.size() != b.print_parts.size()) {
    return false;
  }
  for (size_t i = 0; i < a.fields.size(); ++i) {
    const mir::EventField& x = a.fields[i];
    const mir::EventField& y = b.fields[i];
    if (x.name != y.name || x.type != y.type || x.offset != y.offset || x.unit != y.unit) {
      return false;
    }
  }
  for (size_t i = 0; i < a.print_parts.size(); ++i) {
    if (a.print_parts[i].text != b.print_parts[i].text ||
        a.print_parts[i].field != b.print_parts[i].field) {
      return false;
    }
  }
  return true;
}

// Returns the id of `layout`'s event. The body of a list loop or of a def
// is checked once per element or call, and its `emit` stays one event, so
// its records print under one table header.
uint32_t ProbeChecker::AddEvent(mir::EventLayout layout) {
  for (const mir::EventLayout& event : module_->events) {
    if (SameEvent(event, layout)) return event.id;
  }
  layout.id = static_cast<uint32_t>(module_->events.size());
  module_->events.push_back(std::move(layout));
  return module_->events.back().id;
}

// Returns the text of a command's one positional string literal.
std::optional<std::string> ProbeChecker::LiteralArgument(
    const frontend::CommandCall& call, const char* usage) {
  const frontend::Expr* literal = nullptr;
  for (const frontend::Argument& argument : call.arguments) {
    // `--ignore-case` takes no value: the parser gave it the positional
    // argument after it, which goes back here.
    if (!argument.flag.empty() && !argument.value) continue;
    if (literal != nullptr) {
      diagnostics_.Error(argument.span,
                         "`" + call.name + "` takes one string", usage);
      return std::nullopt;
    }
    literal = argument.value.get();
  }
  // A variable bound to a string literal, such as the variable of
  // `for s in ["a" "b"]`, counts as the literal.
  if (literal != nullptr && literal->kind == ExprKind::kVariable) {
    const CheckedValue* binding =
        FindBinding(static_cast<const frontend::VariableExpr&>(*literal).name);
    if (binding != nullptr && binding->is_string_literal) return binding->text;
  }
  if (literal == nullptr || literal->kind != ExprKind::kString) {
    diagnostics_.Error(literal ? literal->span : call.span,
                       "`" + call.name + "` takes a string literal in a probe",
                       usage);
    return std::nullopt;
  }
  return static_cast<const frontend::StringExpr&>(*literal).value;
}

static bool HasFlag(const frontend::CommandCall& call, const char* long_name,
                    const char* short_name) {
  for (const frontend::Argument& argument : call.arguments) {
    if (argument.flag == (argument.is_short ? short_name : long_name)) return true;
  }
  return false;
}

static std::string LowerAscii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

std::optional<CheckedValue> ProbeChecker::CheckStringCommand(
    const frontend::CommandCall& call, Command command,
    const CheckedValue& input) {
  if (!input.IsString()) {
    diagnostics_.Error(input.span,
                       "`" + call.name + "` takes a string, but this is " + input.Described(),
                       input.shape == CheckedValue::Shape::kScalar
                           ? "convert it first: `... | into string | " +
                                 call.name + "`"
                           : "");
    return std::nullopt;
  }
  for (const frontend::Argument& argument : call.arguments) {
    bool known = argument.flag.empty() ||
                 (argument.flag == (argument.is_short ? "i" : "ignore-case") &&
                  call.name != "str length" && call.name != "str substring");
    if (!known) {
      bool takes_case_flag = call.name != "str length" && call.name != "str substring";
      diagnostics_.Error(argument.span,
                         "`" + call.name + "` has no flag `" + argument.FlagSpelling() +
                             "` in a probe",
                         takes_case_flag ? "its one flag is `--ignore-case`"
                                         : "it takes no flags");
      return std::nullopt;
    }
  }

  mir::ValueId operand = MaterializeDefault(input);
  uint32_t capacity = function_->value_types[operand].capacity;
  switch (command) {
    case Command::kStrLength: {
      mir::Instruction length;
      length.opcode = Opcode::kStringLength;
      length.type = Type::Int(64, true);
      length.operands = {operand};
      length.span = call.span;
      return MakeValue(std::move(length));
    }
    case Command::kStrDowncase:
      return MakeString(Opcode::kStringLower, capacity, operand, call.span);
    case Command::kStrUpcase:
      return MakeString(Opcode::kStringUpper, capacity, operand, call.span);
    case Command::kStrContains:
    case Command::kStrStartsWith:
    case Command::kStrEndsWith: {
      std::optional<std::string> literal = LiteralArgument(
          call, ("write `... | " + call.name + " \"text\"`").c_str());
      if (!literal) return std::nullopt;
      if (literal->find('\0') != std::string::npos) {
        diagnostics_.Error(call.span, "the string cannot contain a NUL byte",
                           "remove the `\\0` from the string");
        return std::nullopt;
      }
      // `--ignore-case` compares the lower-case forms of both.
      if (HasFlag(call, "ignore-case", "i")) {
        operand = MakeString(Opcode::kStringLower, capacity, operand, call.span)->id;
        *literal = LowerAscii(*literal);
      }
      mir::Instruction test;
      test.opcode = command == Command::kStrContains     ? Opcode::kStringContains
                    : command == Command::kStrStartsWith ? Opcode::kStringStartsWith
                                                         : Opcode::kStringEndsWith;
      test.type = Type::Bool();
      test.operands = {operand};
      test.text = *literal;
      test.span = call.span;
      return MakeValue(std::move(test));
    }
    case Command::kStrSubstring:
      return CheckSubstring(call, operand, capacity);
    default:
      break;
  }
  return std::nullopt;
}

// `str substring START..END` with integer literals: bytes, as Nushell
// counts them by default, with END included unless written `..<`.
std::optional<CheckedValue> ProbeChecker::CheckSubstring(
    const frontend::CommandCall& call, mir::ValueId operand, uint32_t capacity) {
  const char* usage = "write `... | str substring 1..3` with integer literals";
  const frontend::Expr* range_expr = nullptr;
  for (const frontend::Argument& argument : call.arguments) {
    if (!argument.flag.empty() || range_expr != nullptr || !argument.value) {
      diagnostics_.Error(argument.span, "`str substring` takes one range", usage);
      return std::nullopt;
    }
    range_expr = argument.value.get();
  }
  if (range_expr == nullptr || range_expr->kind != ExprKind::kRange) {
    diagnostics_.Error(range_expr ? range_expr->span : call.span,
                       "`str substring` takes a range in a probe", usage);
    return std::nullopt;
  }

  const auto& range = static_cast<const frontend::RangeExpr&>(*range_expr);
  // A bound is an integer known at compile time: a literal, a `const`, or
  // a list loop's variable, because the bounds size the result.
  auto bound = [&](const frontend::Expr* expr) -> std::optional<uint64_t> {
    if (expr == nullptr) return std::nullopt;
    if (expr->kind == ExprKind::kInt) return static_cast<const frontend::IntExpr*>(expr)->value;
    std::optional<CheckedValue> value = CheckExpr(*expr);
    if (!value) return std::nullopt;
    if (value->is_literal && value->literal >= 0) return static_cast<uint64_t>(value->literal);
    bool negative = value->is_literal;
    diagnostics_.Error(expr->span,
                       "the range of `str substring` needs non-negative "
                       "integers known at compile time in a probe",
                       negative ? "Nushell's negative indexes count from the end, "
                                  "which needs the length; write `1..3`"
                                : "the bounds size the result when the probe "
                                  "is compiled, so write numbers or constants, "
                                  "such as `1..3`");
    return std::nullopt;
  };
  if (range.next) {
    diagnostics_.Error(range.next->span,
                       "`str substring` takes a range without a step", usage);
    return std::nullopt;
  }
  std::optional<uint64_t> start = bound(range.start.get());
  if (!start) return std::nullopt;
  uint64_t end = capacity;
  if (range.end) {
    std::optional<uint64_t> last = bound(range.end.get());
    if (!last) return std::nullopt;
    end = range.inclusive ? *last + 1 : *last;
  }

  // Bytes past the capacity are never part of the string.
  uint64_t begin = std::min<uint64_t>(*start, capacity);
  end = std::max(begin, std::min<uint64_t>(end, capacity));
  mir::Instruction substring;
  substring.opcode = Opcode::kStringSubstring;
  substring.type = Type::String(static_cast<uint32_t>(end - begin) + 1);
  substring.operands = {operand};
  substring.offset = static_cast<uint32_t>(begin);
  substring.int_value = static_cast<int64_t>(end);
  substring.span = call.span;
  return MakeValue(std::move(substring));
}

std::optional<CheckedValue> ProbeChecker::CheckInto(
    const frontend::CommandCall& call, const CheckedValue& input) {
  if (!call.arguments.empty()) {
    diagnostics_.Error(call.arguments[0].span,
                       "`" + call.name + "` takes no arguments in a probe",
                       "pipe the value into it: `$value | " + call.name + "`");
    return std::nullopt;
  }
  bool to_int = call.name == "into int";
  if (input.shape != CheckedValue::Shape::kScalar) {
    diagnostics_.Error(input.span,
                       "cannot convert " + input.Described() + " with `" +
                           call.name + "`",
                       "convert one of its fields, such as `$r.pid | " +
                           call.name + "`");
    return std::nullopt;
  }

  if (to_int) {
    if (input.is_literal) {
      // `5ms | into int` is the int 5000000, without the unit.
      CheckedValue plain = input;
      plain.unit = mir::Unit::kNone;
      return plain;
    }
    if (input.IsString()) {
      mir::Instruction parse;
      parse.opcode = Opcode::kStringToInt;
      parse.type = Type::Int(64, true);
      parse.operands = {MaterializeDefault(input)};
      parse.span = call.span;
      return MakeValue(std::move(parse));
    }
    // A bool converts to 0 or 1, and an integer becomes Nushell's int, a
    // signed 64-bit value, so that `$e.fd | into int` makes a field that a
    // tracepoint declares u64 signed.
    mir::Instruction cast;
    cast.opcode = Opcode::kCast;
    cast.type = Type::Int(64, true);
    cast.operands = {input.id};
    cast.span = call.span;
    return MakeValue(std::move(cast));
  }

  if (input.IsString()) return input;
  if (input.is_literal) {
    CheckedValue text;
    text.is_string_literal = true;
    text.text = std::to_string(input.literal);
    text.span = call.span;
    return text;
  }
  if (input.type.kind == TypeKind::kBool) {
    diagnostics_.Error(input.span,
                       "`into string` of a bool is not supported in a probe",
                       "use `if $flag { \"true\" } else { \"false\" }`");
    return std::nullopt;
  }
  // Sign and 20 digits cover every 64-bit integer.
  return MakeString(Opcode::kIntToString, 22, input.id, call.span);
}

// `into duration` and `into filesize` read an int as nanoseconds or bytes,
// as Nushell does. The value stays an i64 and only gains the unit that
// the loader prints it with, such as `1ms` or `4.0 kB`.
std::optional<CheckedValue> ProbeChecker::CheckIntoUnit(const frontend::CommandCall& call,
                                                        const CheckedValue& input,
                                                        mir::Unit unit) {
  if (!call.arguments.empty()) {
    diagnostics_.Error(call.arguments[0].span,
                       "`" + call.name + "` takes no arguments in a probe",
                       "pipe the value into it: `$value | " + call.name + "`");
    return std::nullopt;
  }
  bool integer = !input.IsString() &&
                 (input.is_literal || (input.shape == CheckedValue::Shape::kScalar &&
                                       input.type.kind == TypeKind::kInt));
  if (!integer) {
    diagnostics_.Error(input.span,
                       "`" + call.name + "` takes an int, not " + input.Described(),
                       std::string("pipe an int into it, such as `$e.ret | ") + call.name +
                           "`");
    return std::nullopt;
  }

  CheckedValue converted = input;
  if (!input.is_literal) {
    mir::Instruction cast;
    cast.opcode = Opcode::kCast;
    cast.type = Type::Int(64, true);
    cast.operands = {input.id};
    cast.span = call.span;
    converted = *MakeValue(std::move(cast));
  }
  converted.unit = unit;
  converted.name = input.name;
  converted.span = call.span;
  return converted;
}

}  // namespace nubpf::compiler
