// Expression checking: names, fields and operator types, producing MIR values.

#include <cassert>

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

// True for the operators this checker types and lowers; CheckBinary reports
// the others before anything else looks at them.
// TODO: division and `mod` need a check that the divisor is not zero, which
// the verifier requires; bitwise operators and `**` need only lowering.
static bool IsSupportedOperator(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
    case BinaryOp::kSubtract:
    case BinaryOp::kMultiply:
    case BinaryOp::kEqual:
    case BinaryOp::kNotEqual:
    case BinaryOp::kLess:
    case BinaryOp::kLessEqual:
    case BinaryOp::kGreater:
    case BinaryOp::kGreaterEqual:
    case BinaryOp::kAnd:
    case BinaryOp::kOr:
      return true;
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
      return mir::BinaryOp::kAnd;
    case BinaryOp::kOr:
      return mir::BinaryOp::kOr;
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
      break;
  }
  assert(false && "CheckBinary rejects operators that MIR lacks");
  return mir::BinaryOp::kAdd;
}

// Folds an operator on two integer literals, as 64-bit two's complement.
static std::optional<int64_t> FoldLiterals(BinaryOp op, int64_t lhs,
                                           int64_t rhs) {
  uint64_t a = static_cast<uint64_t>(lhs);
  uint64_t b = static_cast<uint64_t>(rhs);
  switch (op) {
    case BinaryOp::kAdd:
      return static_cast<int64_t>(a + b);
    case BinaryOp::kSubtract:
      return static_cast<int64_t>(a - b);
    case BinaryOp::kMultiply:
      return static_cast<int64_t>(a * b);
    case BinaryOp::kEqual:
      return lhs == rhs;
    case BinaryOp::kNotEqual:
      return lhs != rhs;
    case BinaryOp::kLess:
      return lhs < rhs;
    case BinaryOp::kLessEqual:
      return lhs <= rhs;
    case BinaryOp::kGreater:
      return lhs > rhs;
    case BinaryOp::kGreaterEqual:
      return lhs >= rhs;
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
      return std::nullopt;
  }
  return std::nullopt;
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
  if (value.is_literal) {
    mir::Instruction constant;
    constant.opcode = Opcode::kConstInt;
    constant.type = type;
    constant.int_value = value.literal;
    constant.span = value.span;
    return Append(std::move(constant));
  }
  if (value.type == type) return value.id;

  mir::Instruction cast;
  cast.opcode = Opcode::kCast;
  cast.type = type;
  cast.operands = {value.id};
  cast.span = value.span;
  return Append(std::move(cast));
}

mir::ValueId ProbeChecker::MaterializeDefault(const CheckedValue& value) {
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
    case ExprKind::kString:
      // TODO: constant strings in records and map keys need a read-only
      // copy in `.rodata`; until then only comparisons take them.
      diagnostics_.Error(expr.span,
                         "a string literal can only be one side of an `==` or "
                         "`!=` comparison with a string for now",
                         "compare it with a string field, such as "
                         "`$e.comm == \"bash\"`");
      return std::nullopt;
    case ExprKind::kVariable: {
      const auto& variable = static_cast<const frontend::VariableExpr&>(expr);
      if (variable.name == probe_.parameter) {
        diagnostics_.Error(expr.span,
                           "the probe record `$" + variable.name +
                               "` cannot be used as a whole value",
                           "use one of its fields, such as `$" +
                               variable.name + ".pid`");
        return std::nullopt;
      }
      std::vector<std::string> names;
      for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope) {
        auto found = scope->find(variable.name);
        if (found != scope->end()) {
          CheckedValue value = found->second;
          value.span = expr.span;
          return value;
        }
        for (const auto& [name, unused] : *scope) names.push_back(name);
      }
      if (!probe_.parameter.empty()) names.push_back(probe_.parameter);
      std::string nearest = NearestName(variable.name, names);
      diagnostics_.Error(expr.span, "unknown variable `$" + variable.name + "`",
                         nearest.empty() ? "define it with `let " +
                                               variable.name + " = ...` first"
                                         : "did you mean `$" + nearest + "`?");
      return std::nullopt;
    }
    case ExprKind::kField:
      return CheckField(static_cast<const frontend::FieldExpr&>(expr));
    case ExprKind::kUnary:
      return CheckUnary(static_cast<const frontend::UnaryExpr&>(expr));
    case ExprKind::kBinary:
      return CheckBinary(static_cast<const frontend::BinaryExpr&>(expr));
    case ExprKind::kRecord:
      diagnostics_.Error(expr.span,
                         "a record can only be sent with `emit` for now",
                         "write `emit {...}`");
      return std::nullopt;
    case ExprKind::kNull:
      diagnostics_.Error(expr.span, "`null` is not supported yet");
      return std::nullopt;
    case ExprKind::kList:
      diagnostics_.Error(expr.span, "lists are not supported yet");
      return std::nullopt;
    case ExprKind::kRange:
      diagnostics_.Error(expr.span, "ranges are not supported yet");
      return std::nullopt;
    case ExprKind::kInterpolation:
      diagnostics_.Error(expr.span, "string interpolation is not supported yet");
      return std::nullopt;
    case ExprKind::kIf:
      diagnostics_.Error(expr.span, "`if` as a value is not supported yet",
                         "use `if` as a statement");
      return std::nullopt;
    case ExprKind::kMatch:
      diagnostics_.Error(expr.span, "`match` is not supported yet");
      return std::nullopt;
    case ExprKind::kPipeline:
      // TODO: value pipelines need the string and conversion commands,
      // which come with the rest of the language.
      diagnostics_.Error(expr.span,
                         "a pipeline cannot be used as a value yet");
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<CheckedValue> ProbeChecker::CheckField(
    const frontend::FieldExpr& field) {
  if (field.optional) {
    diagnostics_.Error(field.field_span, "optional members `?` are not supported yet",
                       "remove the `?`");
    return std::nullopt;
  }

  // Only the probe record has fields in this version of the language.
  const frontend::Expr& base = *field.base;
  bool is_record = base.kind == ExprKind::kVariable &&
                   static_cast<const frontend::VariableExpr&>(base).name ==
                       probe_.parameter &&
                   !probe_.parameter.empty();
  if (!is_record) {
    std::optional<CheckedValue> value = CheckExpr(base);
    if (!value) return std::nullopt;
    diagnostics_.Error(field.field_span,
                       "cannot read field `" + field.field + "` of a " +
                           value->type.ToString() + " value");
    return std::nullopt;
  }

  if (const TracepointField* info = target_.format.FindField(field.field)) {
    return CheckTracepointField(field, *info);
  }
  if (std::optional<CommonFieldInfo> common = LookupCommonField(field.field)) {
    mir::Instruction read;
    read.opcode = common->opcode;
    read.probe_value = common->probe_value;
    read.type = common->type;
    read.span = field.span;
    CheckedValue value;
    value.type = common->type;
    value.span = field.span;
    value.id = Append(std::move(read));
    return value;
  }

  std::vector<std::string> names = CommonFieldNames();
  for (const TracepointField& info : target_.format.fields) {
    names.push_back(info.name);
  }
  std::string nearest = NearestName(field.field, names);
  std::string fields;
  for (const TracepointField& info : target_.format.fields) {
    if (info.name.rfind("common_", 0) == 0) continue;
    fields += (fields.empty() ? "`" : ", `") + info.name + "`";
  }
  std::string help =
      nearest.empty()
          ? "the fields of `" + target_.category + ":" + target_.name +
                "` are " + (fields.empty() ? "none" : fields) +
                ", and every probe has `pid tid uid gid comm ts cpu`"
          : "did you mean `$" + probe_.parameter + "." + nearest + "`?";
  diagnostics_.Error(field.field_span,
                     "tracepoint `" + target_.category + ":" + target_.name +
                         "` has no field `" + field.field + "`",
                     help);
  return std::nullopt;
}

std::optional<CheckedValue> ProbeChecker::CheckTracepointField(
    const frontend::FieldExpr& field, const TracepointField& info) {
  CheckedValue value;
  value.span = field.span;
  mir::Instruction load;
  load.opcode = Opcode::kContextLoad;
  load.offset = info.offset;
  load.span = field.span;

  switch (info.shape) {
    case TracepointFieldShape::kInteger:
      if (info.size != 1 && info.size != 2 && info.size != 4 && info.size != 8) {
        break;
      }
      load.type = Type::Int(info.size * 8, info.is_signed);
      value.type = load.type;
      value.id = Append(std::move(load));
      return value;
    case TracepointFieldShape::kPointer:
      load.type = Type::Int(64, false);
      value.type = load.type;
      value.id = Append(std::move(load));
      return value;
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
      read.span = field.span;
      value.type = read.type;
      value.id = Append(std::move(read));
      return value;
    }
    case TracepointFieldShape::kCharArray: {
      mir::Instruction read;
      read.opcode = Opcode::kContextCharArray;
      read.offset = info.offset;
      read.type = Type::String(info.size);
      read.span = field.span;
      value.type = read.type;
      value.id = Append(std::move(read));
      return value;
    }
    case TracepointFieldShape::kDataLoc:
    case TracepointFieldShape::kArray:
      break;
  }
  // TODO: `__data_loc` strings and arrays need a bounded read relative to
  // the context, which the backend does not emit yet.
  diagnostics_.Error(field.field_span,
                     "field `" + info.name + "` (`" + info.declaration +
                         "`) cannot be read yet: only integers, pointers, "
                         "char arrays and char pointers are supported");
  return std::nullopt;
}

std::optional<CheckedValue> ProbeChecker::CheckCondition(
    const frontend::Expr& expr) {
  std::optional<CheckedValue> value = CheckExpr(expr);
  if (!value) return std::nullopt;
  if (value->type.kind == TypeKind::kBool) return value;
  diagnostics_.Error(expr.span,
                     "expected a `bool`, found a `" +
                         (value->is_literal ? std::string("int")
                                            : value->type.ToString()) +
                         "`",
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
    const frontend::BinaryExpr& binary) {
  bool literal_on_left = binary.lhs->kind == ExprKind::kString;
  const frontend::Expr& literal_expr = literal_on_left ? *binary.lhs : *binary.rhs;
  const frontend::Expr& other_expr = literal_on_left ? *binary.rhs : *binary.lhs;
  const std::string& literal =
      static_cast<const frontend::StringExpr&>(literal_expr).value;
  bool equal = binary.op == BinaryOp::kEqual;

  CheckedValue result;
  result.type = Type::Bool();
  result.span = binary.span;
  if (other_expr.kind == ExprKind::kString) {
    bool same = literal == static_cast<const frontend::StringExpr&>(other_expr).value;
    mir::Instruction constant;
    constant.opcode = Opcode::kConstBool;
    constant.type = Type::Bool();
    constant.int_value = same == equal;
    constant.span = binary.span;
    result.id = Append(std::move(constant));
    return result;
  }

  std::optional<CheckedValue> other = CheckExpr(other_expr);
  if (!other) return std::nullopt;
  if (other->type.kind != TypeKind::kString) {
    diagnostics_.Error(binary.op_span,
                       "cannot compare a `" +
                           (other->is_literal ? std::string("int")
                                              : other->type.ToString()) +
                           "` with a string",
                       "compare strings with strings and numbers with numbers");
    return std::nullopt;
  }
  if (literal.find('\0') != std::string::npos) {
    diagnostics_.Error(literal_expr.span,
                       "a string compared with a kernel string cannot contain "
                       "a NUL byte");
    return std::nullopt;
  }
  if (literal.size() + 1 > other->type.capacity) {
    diagnostics_.Warning(
        binary.span,
        "this comparison is always " + std::string(equal ? "false" : "true") +
            ": the string has room for " +
            std::to_string(other->type.capacity - 1) + " of the " +
            std::to_string(literal.size()) + " bytes of `\"" + literal + "\"`",
        "compare with a string of at most " +
            std::to_string(other->type.capacity - 1) +
            " bytes; for strings read through a pointer, `--max-strlen` sets "
            "the room");
  }

  mir::Instruction compare;
  compare.opcode = Opcode::kStringEqualsLiteral;
  compare.type = Type::Bool();
  compare.operands = {other->id};
  compare.text = literal;
  compare.span = binary.span;
  result.id = Append(std::move(compare));
  if (equal) return result;

  mir::Instruction negation;
  negation.opcode = Opcode::kNot;
  negation.type = Type::Bool();
  negation.operands = {result.id};
  negation.span = binary.span;
  result.id = Append(std::move(negation));
  return result;
}

std::optional<CheckedValue> ProbeChecker::CheckBinary(
    const frontend::BinaryExpr& binary) {
  if (!IsSupportedOperator(binary.op)) {
    diagnostics_.Error(binary.op_span, "operator `" +
                                           std::string(frontend::BinaryOpSpelling(binary.op)) +
                                           "` is not supported yet");
    return std::nullopt;
  }
  bool has_string_literal = binary.lhs->kind == ExprKind::kString ||
                            binary.rhs->kind == ExprKind::kString;
  if (has_string_literal &&
      (binary.op == BinaryOp::kEqual || binary.op == BinaryOp::kNotEqual)) {
    return CheckStringEquality(binary);
  }

  CheckedValue result;
  result.span = binary.span;
  mir::Instruction instruction;
  instruction.opcode = Opcode::kBinary;
  instruction.binary_op = ToMirOp(binary.op);
  instruction.span = binary.span;

  if (binary.op == BinaryOp::kAnd || binary.op == BinaryOp::kOr) {
    std::optional<CheckedValue> lhs = CheckCondition(*binary.lhs);
    std::optional<CheckedValue> rhs = CheckCondition(*binary.rhs);
    if (!lhs || !rhs) return std::nullopt;
    instruction.type = Type::Bool();
    instruction.operands = {lhs->id, rhs->id};
    result.type = Type::Bool();
    result.id = Append(std::move(instruction));
    return result;
  }

  std::optional<CheckedValue> lhs = CheckExpr(*binary.lhs);
  std::optional<CheckedValue> rhs = CheckExpr(*binary.rhs);
  if (!lhs || !rhs) return std::nullopt;

  // bool == bool and bool != bool.
  bool both_bool = lhs->type.kind == TypeKind::kBool &&
                   rhs->type.kind == TypeKind::kBool;
  if (both_bool &&
      (binary.op == BinaryOp::kEqual || binary.op == BinaryOp::kNotEqual)) {
    instruction.type = Type::Bool();
    instruction.operands = {lhs->id, rhs->id};
    result.type = Type::Bool();
    result.id = Append(std::move(instruction));
    return result;
  }

  for (const CheckedValue* operand : {&*lhs, &*rhs}) {
    if (operand->type.kind == TypeKind::kInt) continue;
    std::string help =
        operand->type.kind == TypeKind::kString
            ? "strings can only be compared with a string literal for now, "
              "such as `$e.comm == \"bash\"`"
            : "";
    diagnostics_.Error(operand->span,
                       "`" + std::string(frontend::BinaryOpSpelling(binary.op)) +
                           "` takes integers, but this is a `" +
                           operand->type.ToString() + "`",
                       help);
    return std::nullopt;
  }

  if (lhs->is_literal && rhs->is_literal) {
    std::optional<int64_t> folded = FoldLiterals(binary.op, lhs->literal, rhs->literal);
    if (IsComparison(binary.op)) {
      mir::Instruction constant;
      constant.opcode = Opcode::kConstBool;
      constant.type = Type::Bool();
      constant.int_value = *folded;
      constant.span = binary.span;
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
  for (const CheckedValue* operand : {&*lhs, &*rhs}) {
    bool negative_literal = operand->is_literal && operand->literal < 0;
    if (IsComparison(binary.op) && negative_literal && !operand_type.is_signed) {
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
  if (!IsComparison(binary.op)) {
    // Arithmetic is done in 64 bits so that `bytes * count` cannot wrap at
    // the width of a 32-bit tracepoint field.
    operand_type = Type::Int(64, operand_type.is_signed);
  }
  instruction.operands = {Materialize(*lhs, operand_type),
                          Materialize(*rhs, operand_type)};
  instruction.type = IsComparison(binary.op) ? Type::Bool() : operand_type;
  result.type = instruction.type;
  result.id = Append(std::move(instruction));
  return result;
}

}  // namespace nubpf::compiler
