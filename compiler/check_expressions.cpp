// Expression checking: names, fields and operator types, producing MIR values.

#include <cassert>

#include "compiler/mir_passes.h"
#include "compiler/probe_checker.h"
#include "compiler/probe_fields.h"
#include "compiler/suggest.h"

namespace nubpf::compiler {

using frontend::BinaryOp;
using frontend::ExprKind;
using mir::Opcode;
using mir::Type;
using mir::TypeKind;

static bool IsComparison(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEqual:
    case BinaryOp::kNotEqual:
    case BinaryOp::kLess:
    case BinaryOp::kLessEqual:
    case BinaryOp::kGreater:
    case BinaryOp::kGreaterEqual:
      return true;
    case BinaryOp::kAdd:
    case BinaryOp::kSubtract:
    case BinaryOp::kMultiply:
    case BinaryOp::kAnd:
    case BinaryOp::kOr:
    case BinaryOp::kDivide:
    case BinaryOp::kFloorDivide:
    case BinaryOp::kModulo:
    case BinaryOp::kPower:
    case BinaryOp::kRegexMatch:
    case BinaryOp::kNotRegexMatch:
    case BinaryOp::kIn:
    case BinaryOp::kNotIn:
    case BinaryOp::kStartsWith:
    case BinaryOp::kEndsWith:
    case BinaryOp::kBitAnd:
    case BinaryOp::kBitOr:
    case BinaryOp::kBitXor:
    case BinaryOp::kShiftLeft:
    case BinaryOp::kShiftRight:
    case BinaryOp::kXor:
      return false;
  }
  return false;
}

mir::Unit UnitOf(const std::string& suffix) {
  if (suffix.empty()) return mir::Unit::kNone;
  for (const char* duration : {"ns", "us", "ms", "sec", "min", "hr", "day", "wk"}) {
    if (suffix == duration) return mir::Unit::kDuration;
  }
  return mir::Unit::kFileSize;
}

const char* UnitTypeName(mir::Unit unit) {
  switch (unit) {
    case mir::Unit::kNone:
      return "int";
    case mir::Unit::kDuration:
      return "duration";
    case mir::Unit::kFileSize:
      return "filesize";
  }
  return "int";
}

std::string DescribeUnit(mir::Unit unit) {
  return std::string(unit == mir::Unit::kNone ? "an `" : "a `") + UnitTypeName(unit) + "`";
}

const char* ZeroLiteral(mir::Unit unit) {
  switch (unit) {
    case mir::Unit::kNone:
      return "0";
    case mir::Unit::kDuration:
      return "0ns";
    case mir::Unit::kFileSize:
      return "0b";
  }
  return "0";
}

// The unit of `lhs op rhs`, as Nushell types it: durations add to
// durations, scale by ints, and divide by ints. Where Nushell would raise
// a type error, such as a duration plus an int, the result is a plain int.
static mir::Unit ResultUnit(BinaryOp op, mir::Unit lhs, mir::Unit rhs) {
  using mir::Unit;
  switch (op) {
    case BinaryOp::kAdd:
    case BinaryOp::kSubtract:
      return lhs == rhs ? lhs : Unit::kNone;
    case BinaryOp::kMultiply:
      if (lhs == Unit::kNone) return rhs;
      return rhs == Unit::kNone ? lhs : Unit::kNone;
    case BinaryOp::kFloorDivide:
      return rhs == Unit::kNone ? lhs : Unit::kNone;
    case BinaryOp::kModulo:
      return lhs;
    default:
      return Unit::kNone;
  }
}

static mir::BinaryOp ToMirOp(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return mir::BinaryOp::kAdd;
    case BinaryOp::kSubtract:
      return mir::BinaryOp::kSubtract;
    case BinaryOp::kMultiply:
      return mir::BinaryOp::kMultiply;
    case BinaryOp::kEqual:
      return mir::BinaryOp::kEqual;
    case BinaryOp::kNotEqual:
      return mir::BinaryOp::kNotEqual;
    case BinaryOp::kLess:
      return mir::BinaryOp::kLess;
    case BinaryOp::kLessEqual:
      return mir::BinaryOp::kLessEqual;
    case BinaryOp::kGreater:
      return mir::BinaryOp::kGreater;
    case BinaryOp::kGreaterEqual:
      return mir::BinaryOp::kGreaterEqual;
    case BinaryOp::kAnd:
      return mir::BinaryOp::kBitAnd;
    case BinaryOp::kOr:
      return mir::BinaryOp::kBitOr;
    case BinaryOp::kFloorDivide:
      return mir::BinaryOp::kFloorDivide;
    case BinaryOp::kModulo:
      return mir::BinaryOp::kFloorModulo;
    case BinaryOp::kBitAnd:
      return mir::BinaryOp::kBitAnd;
    case BinaryOp::kBitOr:
      return mir::BinaryOp::kBitOr;
    case BinaryOp::kBitXor:
    case BinaryOp::kXor:
      return mir::BinaryOp::kBitXor;
    case BinaryOp::kShiftLeft:
      return mir::BinaryOp::kShiftLeft;
    case BinaryOp::kShiftRight:
      return mir::BinaryOp::kShiftRight;
    case BinaryOp::kDivide:
    case BinaryOp::kPower:
    case BinaryOp::kRegexMatch:
    case BinaryOp::kNotRegexMatch:
    case BinaryOp::kIn:
    case BinaryOp::kNotIn:
    case BinaryOp::kStartsWith:
    case BinaryOp::kEndsWith:
      break;
  }
  assert(false && "CheckBinary rejects operators that MIR lacks");
  return mir::BinaryOp::kAdd;
}

// The type two integer operands are converted to: a literal takes the other
// operand's type; otherwise both widen to 64 bits, signed if either is.
static Type UnifyIntegers(const CheckedValue& lhs, const CheckedValue& rhs) {
  if (lhs.is_literal) return rhs.type;
  if (rhs.is_literal) return lhs.type;
  if (lhs.type == rhs.type) return lhs.type;
  return Type::Int(64, lhs.type.is_signed || rhs.type.is_signed);
}

mir::ValueId ProbeChecker::Materialize(const CheckedValue& value,
                                       const Type& type) {
  if (value.is_string_literal) {
    mir::Instruction constant;
    constant.opcode = Opcode::kStringLiteral;
    constant.type = Type::String(static_cast<uint32_t>(value.text.size()) + 1);
    constant.text = value.text;
    constant.span = value.span;
    return Append(std::move(constant));
  }
  if (value.is_literal) {
    mir::Instruction constant;
    constant.opcode = Opcode::kConstInt;
    constant.type = type;
    constant.int_value = value.literal;
    constant.span = value.span;
    return Append(std::move(constant));
  }
  // A string keeps its own capacity: each use reads it into a buffer of
  // that use's size.
  if (value.type == type || value.type.kind == TypeKind::kString) return value.id;

  mir::Instruction cast;
  cast.opcode = Opcode::kCast;
  cast.type = type;
  cast.operands = {value.id};
  cast.span = value.span;
  return Append(std::move(cast));
}

mir::ValueId ProbeChecker::MaterializeDefault(const CheckedValue& value) {
  // Events, counters and `print` take a pointer as its address.
  if (value.type.kind == TypeKind::kPointer) return Materialize(value, Type::Int(64, false));
  return Materialize(value, value.type);
}

std::optional<CheckedValue> ProbeChecker::CheckExpr(const frontend::Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kInt: {
      const auto& literal = static_cast<const frontend::IntExpr&>(expr);
      CheckedValue value;
      value.type = Type::Int(64, true);
      value.is_literal = true;
      value.literal = static_cast<int64_t>(literal.value);
      value.unit = UnitOf(literal.unit);
      value.span = expr.span;
      return value;
    }
    case ExprKind::kBool: {
      mir::Instruction constant;
      constant.opcode = Opcode::kConstBool;
      constant.type = Type::Bool();
      constant.int_value = static_cast<const frontend::BoolExpr&>(expr).value;
      constant.span = expr.span;
      CheckedValue value;
      value.type = Type::Bool();
      value.span = expr.span;
      value.id = Append(std::move(constant));
      return value;
    }
    case ExprKind::kString: {
      CheckedValue value;
      value.is_string_literal = true;
      value.text = static_cast<const frontend::StringExpr&>(expr).value;
      value.span = expr.span;
      return value;
    }
    case ExprKind::kVariable: {
      const auto& variable = static_cast<const frontend::VariableExpr&>(expr);
      if (variable.name == "in") return ReadInput(variable);
      // A command's body does not see the closure's parameter.
      if (frames_.empty() && !probe_.parameter.empty() &&
          variable.name == probe_.parameter) {
        return EventValue(variable.name, variable.span);
      }
      return ReadVariable(variable);
    }
    case ExprKind::kField:
      return CheckField(static_cast<const frontend::FieldExpr&>(expr));
    case ExprKind::kUnary:
      return CheckUnary(static_cast<const frontend::UnaryExpr&>(expr));
    case ExprKind::kBinary:
      return CheckBinary(static_cast<const frontend::BinaryExpr&>(expr));
    case ExprKind::kRecord: {
      // The parser has rejected records with a key used twice.
      CheckedValue record;
      record.shape = CheckedValue::Shape::kRecord;
      record.span = expr.span;
      for (const frontend::RecordField& field :
           static_cast<const frontend::RecordExpr&>(expr).fields) {
        if (field.name.find_first_of("\t\n") != std::string::npos) {
          diagnostics_.Error(field.name_span,
                             "a field name cannot contain a tab or a newline");
          return std::nullopt;
        }
        std::optional<CheckedValue> value = CheckExpr(*field.value);
        if (!value) return std::nullopt;
        value->name = field.name;
        record.fields.push_back({field.name, std::move(*value)});
      }
      return record;
    }
    case ExprKind::kPipeline: {
      std::optional<CheckedValue> value = CheckPipelineValue(
          static_cast<const frontend::PipelineExpr&>(expr).elements);
      if (value && value->shape == CheckedValue::Shape::kNothing) {
        diagnostics_.Error(expr.span,
                           "this pipeline gives no value: its last command "
                           "returns nothing",
                           "end it with a command that returns a value, such "
                           "as `str length`");
        return std::nullopt;
      }
      return value;
    }
    case ExprKind::kNull:
      return NullValue(expr.span);
    case ExprKind::kList:
      return CheckList(static_cast<const frontend::ListExpr&>(expr));
    case ExprKind::kRange:
      diagnostics_.Error(expr.span, "ranges are not supported yet");
      return std::nullopt;
    case ExprKind::kInterpolation:
      diagnostics_.Error(expr.span,
                         "an interpolated string as a value is not supported "
                         "in a probe, because the loader formats the text "
                         "after the probe has sent the values",
                         "write it as the argument of `print $\"...\"`, or "
                         "send its parts as fields of their own with `emit`");
      return std::nullopt;
    case ExprKind::kIf:
      return CheckIf(static_cast<const frontend::IfExpr&>(expr),
                     /*want_value=*/true);
    case ExprKind::kMatch:
      return CheckMatch(static_cast<const frontend::MatchExpr&>(expr),
                        /*want_value=*/true);
  }
  return std::nullopt;
}

// Returns a variable's value: a `let` binding as bound, a `mut` one loaded
// from its local, and a top-level constant checked where it is read.
std::optional<CheckedValue> ProbeChecker::ReadVariable(
    const frontend::VariableExpr& variable) {
  std::vector<std::string> names;
  for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope) {
    auto found = scope->find(variable.name);
    if (found == scope->end()) {
      for (const auto& [name, unused] : *scope) names.push_back(name);
      continue;
    }
    if (found->second.is_error) return std::nullopt;
    CheckedValue value = found->second;
    value.span = variable.span;
    value.name = variable.name;
    if (value.shape == CheckedValue::Shape::kEvent) value.event_variable = variable.name;
    if (value.shape == CheckedValue::Shape::kNothing) {
      // Only a parameter that the call left out is bound to nothing.
      diagnostics_.Error(variable.span,
                         "`$" + variable.name + "` has no value, because the call "
                         "of `" + frames_.back().def->name +
                             "` leaves out this optional parameter",
                         "pass a value, or give the parameter a default, such "
                         "as `" + variable.name + ": int = 0`");
      return std::nullopt;
    }
    if (value.local >= 0) {
      mir::Instruction load;
      load.opcode = Opcode::kLocalLoad;
      load.index = static_cast<uint32_t>(value.local);
      load.type = value.type;
      load.span = variable.span;
      value.id = Append(std::move(load));
      value.local = -1;
    }
    return value;
  }
  uint32_t global = 0;
  if (FindGlobal(*module_, variable.name, &global) != nullptr) return ReadGlobal(variable);
  if (FindParameter(*module_, variable.name, &global) != nullptr) {
    return ReadParameter(variable);
  }
  auto constant = constants_.find(variable.name);
  if (constant != constants_.end()) {
    // The constant's names are other constants, never the probe's own
    // bindings, so the scopes are set aside while it is checked.
    std::vector<std::map<std::string, CheckedValue>> saved;
    saved.swap(scopes_);
    std::optional<CheckedValue> value = CheckExpr(*constant->second);
    saved.swap(scopes_);
    if (value) {
      value->span = variable.span;
      value->name = variable.name;
    }
    return value;
  }
  for (const auto& [name, unused] : constants_) names.push_back(name);
  for (const mir::Global& global : module_->globals) names.push_back(global.name);
  for (const mir::Parameter& parameter : module_->parameters) {
    names.push_back(parameter.variable);
  }
  if (!probe_.parameter.empty() && frames_.empty()) {
    names.push_back(probe_.parameter);
  }
  std::string nearest = NearestName(variable.name, names);
  std::string help =
      nearest.empty() ? "define it with `let " + variable.name + " = ...` first"
                      : "did you mean `$" + nearest + "`?";
  if (nearest.empty() && !frames_.empty()) {
    help = "the body of `" + frames_.back().def->name +
           "` sees only its parameters and constants, as in Nushell: pass "
           "the value as an argument";
  }
  diagnostics_.Error(variable.span, "unknown variable `$" + variable.name + "`", help);
  return std::nullopt;
}

void ProbeChecker::ReportWholeEvent(const CheckedValue& value) {
  diagnostics_.Error(value.span,
                     "the probe record `$" + value.event_variable +
                         "` cannot be used as a whole value",
                     "use one of its fields, such as `$" + value.event_variable +
                         ".pid`");
}

std::optional<CheckedValue> ProbeChecker::CheckCondition(
    const frontend::Expr& expr) {
  std::optional<CheckedValue> value = CheckExpr(expr);
  if (!value) return std::nullopt;
  if (RejectStack(*value, "a condition")) return std::nullopt;
  if (value->shape == CheckedValue::Shape::kScalar &&
      !value->is_string_literal && !value->is_literal &&
      value->type.kind == TypeKind::kBool) {
    return value;
  }
  diagnostics_.Error(expr.span,
                     "expected a `bool`, found " + value->Described(),
                     "compare it, such as `... != 0`");
  return std::nullopt;
}

std::optional<CheckedValue> ProbeChecker::CheckUnary(
    const frontend::UnaryExpr& unary) {
  switch (unary.op) {
    case frontend::UnaryOp::kNot: {
      std::optional<CheckedValue> operand = CheckCondition(*unary.operand);
      if (!operand) return std::nullopt;
      mir::Instruction negation;
      negation.opcode = Opcode::kNot;
      negation.type = Type::Bool();
      negation.operands = {operand->id};
      negation.span = unary.span;
      CheckedValue value;
      value.type = Type::Bool();
      value.span = unary.span;
      value.id = Append(std::move(negation));
      return value;
    }
    case frontend::UnaryOp::kNegate: {
      std::optional<CheckedValue> operand = CheckExpr(*unary.operand);
      if (!operand) return std::nullopt;
      if (operand->is_literal) {
        operand->literal = static_cast<int64_t>(
            0 - static_cast<uint64_t>(operand->literal));
        operand->span = unary.span;
        return operand;
      }
      if (RejectStack(*operand, "an operand of `-`")) return std::nullopt;
      if (operand->type.kind != TypeKind::kInt) {
        diagnostics_.Error(unary.operand->span,
                           "cannot negate a `" + operand->type.ToString() +
                               "`: `-` takes an integer");
        return std::nullopt;
      }
      Type type = Type::Int(64, true);
      mir::Instruction negation;
      negation.opcode = Opcode::kNegate;
      negation.type = type;
      negation.operands = {Materialize(*operand, type)};
      negation.span = unary.span;
      CheckedValue value;
      value.type = type;
      value.span = unary.span;
      value.id = Append(std::move(negation));
      return value;
    }
  }
  return std::nullopt;
}

std::optional<CheckedValue> ProbeChecker::CheckStringEquality(
    BinaryOp op, const CheckedValue& lhs, const CheckedValue& rhs,
    frontend::Span op_span, frontend::Span span) {
  bool equal = op == BinaryOp::kEqual;
  if (!lhs.IsString() || !rhs.IsString()) {
    diagnostics_.Error(op_span,
                       "cannot compare `" + lhs.TypeName() + "` with `" +
                           rhs.TypeName() + "`",
                       "compare strings with strings and numbers with numbers; "
                       "`... | into int` reads a number from a string");
    return std::nullopt;
  }

  CheckedValue result;
  result.type = Type::Bool();
  result.span = span;
  if (lhs.is_string_literal && rhs.is_string_literal) {
    mir::Instruction constant;
    constant.opcode = Opcode::kConstBool;
    constant.type = Type::Bool();
    constant.int_value = (lhs.text == rhs.text) == equal;
    constant.span = span;
    result.id = Append(std::move(constant));
    return result;
  }

  mir::Instruction compare;
  compare.type = Type::Bool();
  compare.span = span;
  if (!lhs.is_string_literal && !rhs.is_string_literal) {
    compare.opcode = Opcode::kStringEquals;
    compare.operands = {lhs.id, rhs.id};
  } else {
    const CheckedValue& literal = lhs.is_string_literal ? lhs : rhs;
    const CheckedValue& other = lhs.is_string_literal ? rhs : lhs;
    if (literal.text.find('\0') != std::string::npos) {
      diagnostics_.Error(literal.span,
                         "a string compared with a kernel string cannot "
                         "contain a NUL byte");
      return std::nullopt;
    }
    if (literal.text.size() + 1 > other.type.capacity) {
      diagnostics_.Warning(
          span,
          "this comparison is always " + std::string(equal ? "false" : "true") +
              ": the string has room for " +
              std::to_string(other.type.capacity - 1) + " of the " +
              std::to_string(literal.text.size()) + " bytes of `\"" +
              literal.text + "\"`",
          "compare with a string of at most " +
              std::to_string(other.type.capacity - 1) +
              " bytes; for strings read through a pointer, `--max-strlen` "
              "sets the room");
    }
    compare.opcode = Opcode::kStringEqualsLiteral;
    compare.operands = {other.id};
    compare.text = literal.text;
  }
  result.id = Append(std::move(compare));
  if (equal) return result;

  mir::Instruction negation;
  negation.opcode = Opcode::kNot;
  negation.type = Type::Bool();
  negation.operands = {result.id};
  negation.span = span;
  result.id = Append(std::move(negation));
  return result;
}

std::optional<CheckedValue> ProbeChecker::CheckBinary(
    const frontend::BinaryExpr& binary) {
  switch (binary.op) {
    case BinaryOp::kPower:
      return CheckPower(binary);
    case BinaryOp::kIn:
    case BinaryOp::kNotIn:
      return CheckMembership(binary);
    case BinaryOp::kStartsWith:
    case BinaryOp::kEndsWith:
      return CheckStringOperator(binary);
    case BinaryOp::kRegexMatch:
    case BinaryOp::kNotRegexMatch:
      return CheckRegexMatch(binary);
    case BinaryOp::kDivide:
      diagnostics_.Error(binary.op_span,
                         "`/` is not supported in a probe, because it gives a "
                         "float in Nushell and BPF has no floats",
                         "write `//` for floor division");
      return std::nullopt;
    default:
      break;
  }

  CheckedValue result;
  result.span = binary.span;
  mir::Instruction instruction;
  instruction.opcode = Opcode::kBinary;
  instruction.binary_op = ToMirOp(binary.op);
  instruction.span = binary.span;

  if (binary.op == BinaryOp::kAnd || binary.op == BinaryOp::kOr ||
      binary.op == BinaryOp::kXor) {
    std::optional<CheckedValue> lhs = CheckCondition(*binary.lhs);
    // Nushell evaluates the right side of `and` only where the left is
    // true, and of `or` only where it is false, so a null test on the left
    // narrows the variables it tests on the right.
    std::map<std::string, CheckedValue> narrowed;
    if (binary.op != BinaryOp::kXor) {
      narrowed = NarrowNull(*binary.lhs, /*when_true=*/binary.op == BinaryOp::kAnd);
    }
    scopes_.push_back(std::move(narrowed));
    std::optional<CheckedValue> rhs = CheckCondition(*binary.rhs);
    scopes_.pop_back();
    if (!lhs || !rhs) return std::nullopt;
    // Both sides are evaluated: they have no effects, so the result is
    // what Nushell's short circuit gives.
    instruction.type = Type::Bool();
    instruction.operands = {lhs->id, rhs->id};
    result.type = Type::Bool();
    result.id = Append(std::move(instruction));
    return result;
  }

  std::optional<CheckedValue> lhs = CheckExpr(*binary.lhs);
  std::optional<CheckedValue> rhs = CheckExpr(*binary.rhs);
  if (!lhs || !rhs) return std::nullopt;
  if (binary.op == BinaryOp::kEqual || binary.op == BinaryOp::kNotEqual) {
    return CheckEquality(binary.op, *lhs, *rhs, binary.op_span, binary.span);
  }
  return CheckIntegerOperator(binary.op, *lhs, *rhs, binary.span);
}

std::optional<CheckedValue> ProbeChecker::CheckEquality(
    BinaryOp op, const CheckedValue& lhs, const CheckedValue& rhs,
    frontend::Span op_span, frontend::Span span) {
  for (const CheckedValue* operand : {&lhs, &rhs}) {
    if (RejectStack(*operand, "compared with `" +
                                  std::string(frontend::BinaryOpSpelling(op)) + "`")) {
      return std::nullopt;
    }
  }
  if (lhs.shape == CheckedValue::Shape::kNull ||
      rhs.shape == CheckedValue::Shape::kNull) {
    return CheckNullComparison(op, lhs, rhs, span);
  }
  if (IsKernelComparison(lhs, rhs)) {
    return CheckKernelComparison(op, lhs, rhs, op_span, span);
  }
  bool composite = lhs.shape == CheckedValue::Shape::kRecord ||
                   lhs.shape == CheckedValue::Shape::kList ||
                   rhs.shape == CheckedValue::Shape::kRecord ||
                   rhs.shape == CheckedValue::Shape::kList;
  if (composite) return CheckCompositeEquality(op, lhs, rhs, op_span, span);
  if (lhs.IsString() || rhs.IsString()) {
    return CheckStringEquality(op, lhs, rhs, op_span, span);
  }

  // bool == bool and bool != bool.
  bool both_bool = lhs.shape == CheckedValue::Shape::kScalar &&
                   rhs.shape == CheckedValue::Shape::kScalar &&
                   lhs.type.kind == TypeKind::kBool &&
                   rhs.type.kind == TypeKind::kBool;
  if (both_bool) {
    mir::Instruction instruction;
    instruction.opcode = Opcode::kBinary;
    instruction.binary_op = ToMirOp(op);
    instruction.type = Type::Bool();
    instruction.operands = {lhs.id, rhs.id};
    instruction.span = span;
    return MakeValue(std::move(instruction));
  }
  return CheckIntegerOperator(op, lhs, rhs, span);
}

std::optional<CheckedValue> ProbeChecker::CheckIntegerOperator(
    BinaryOp op, const CheckedValue& lhs_value, const CheckedValue& rhs_value,
    frontend::Span span) {
  const CheckedValue* lhs = &lhs_value;
  const CheckedValue* rhs = &rhs_value;
  CheckedValue result;
  result.span = span;
  result.unit = ResultUnit(op, lhs->unit, rhs->unit);
  mir::Instruction instruction;
  instruction.opcode = Opcode::kBinary;
  instruction.binary_op = ToMirOp(op);
  instruction.span = span;

  for (const CheckedValue* operand : {lhs, rhs}) {
    if (operand->shape == CheckedValue::Shape::kScalar &&
        !operand->is_string_literal && operand->type.kind == TypeKind::kInt) {
      continue;
    }
    std::string spelling = frontend::BinaryOpSpelling(op);
    if (RejectStack(*operand, "an operand of `" + spelling + "`")) return std::nullopt;
    std::string help;
    if (operand->IsString()) {
      help = "strings compare with `==` and `!=`; for a number in a string "
             "use `... | into int`";
    } else if (operand->shape == CheckedValue::Shape::kNull) {
      help = "give a value in place of null with `default`, as in "
             "`$r.size? | default 0`";
    } else if (operand->shape == CheckedValue::Shape::kOptional) {
      help = std::string("this value may be null, so handle null first: give a "
                         "default, as in `... | default ") +
             ZeroLiteral(operand->elements[0].unit) +
             "`, or bind it with `let t = ...` and use `$t` inside `if $t != null "
             "{ ... }` or after `$t != null and`";
    }
    // Durations and file sizes are ints in a probe, so "numbers" names
    // what an operator takes without seeming to exclude them.
    diagnostics_.Error(operand->span,
                       "`" + std::string(frontend::BinaryOpSpelling(op)) +
                           "` takes numbers, but this is " + operand->Described(),
                       help);
    return std::nullopt;
  }

  bool divides = op == BinaryOp::kFloorDivide || op == BinaryOp::kModulo;
  if (divides && rhs->is_literal && rhs->literal == 0) {
    diagnostics_.Error(rhs->span, "division by zero",
                       "a probe cannot raise an error; divide by a value that "
                       "is not 0");
    return std::nullopt;
  }

  if (lhs->is_literal && rhs->is_literal) {
    // Literals are Nushell ints: folded as i64, as the backend computes.
    std::optional<int64_t> folded = mir::EvaluateBinary(
        ToMirOp(op), Type::Int(64, true), lhs->literal, rhs->literal);
    if (IsComparison(op)) {
      mir::Instruction constant;
      constant.opcode = Opcode::kConstBool;
      constant.type = Type::Bool();
      constant.int_value = *folded;
      constant.span = span;
      result.type = Type::Bool();
      result.id = Append(std::move(constant));
      return result;
    }
    result.type = Type::Int(64, true);
    result.is_literal = true;
    result.literal = *folded;
    return result;
  }

  Type operand_type = UnifyIntegers(*lhs, *rhs);
  for (const CheckedValue* operand : {lhs, rhs}) {
    bool negative_literal = operand->is_literal && operand->literal < 0;
    if (IsComparison(op) && negative_literal && !operand_type.is_signed) {
      uint64_t mask = operand_type.bits == 64
                          ? ~uint64_t{0}
                          : (uint64_t{1} << operand_type.bits) - 1;
      diagnostics_.Warning(
          operand->span,
          "`" + std::to_string(operand->literal) + "` is negative, but it is "
              "compared with an unsigned `" + operand_type.ToString() +
              "`, so it becomes " +
              std::to_string(static_cast<uint64_t>(operand->literal) & mask),
          "the tracepoint format declares this field unsigned; compare with "
          "the unsigned value the kernel stores");
    }
  }
  if (!IsComparison(op)) {
    // Arithmetic is done in 64 bits so that `bytes * count` cannot wrap at
    // the width of a 32-bit tracepoint field, and signed, as Nushell's int
    // is, so that `0 - $e.pid` is negative. Only u64 operands, such as
    // addresses, stay unsigned, because their values may not fit in i64.
    bool stays_unsigned = operand_type == Type::Int(64, false);
    operand_type = Type::Int(64, !stays_unsigned);
  }
  instruction.operands = {Materialize(*lhs, operand_type),
                          Materialize(*rhs, operand_type)};
  instruction.type = IsComparison(op) ? Type::Bool() : operand_type;
  result.type = instruction.type;
  result.id = Append(std::move(instruction));
  return result;
}

}  // namespace nubpf::compiler
