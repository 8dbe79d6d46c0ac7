// `null`: a value known at compile time, as the result of a missing
// optional member (`$r.size?`) or the literal. No run-time value is ever
// null, so comparisons with null fold to constants and `default` picks its
// result while checking.

#include "compiler/probe_checker.h"

namespace nubpf::compiler {

using frontend::BinaryOp;
using frontend::ExprKind;
using Shape = CheckedValue::Shape;

std::optional<CheckedValue> ProbeChecker::CheckNullComparison(
    frontend::BinaryOp op, const CheckedValue& lhs, const CheckedValue& rhs,
    frontend::Span span) {
  const CheckedValue& other = lhs.shape == Shape::kNull ? rhs : lhs;
  if (FollowsKernelMembers(other)) return CheckKernelNull(op, other, span);
  bool equal = lhs.shape == Shape::kNull && rhs.shape == Shape::kNull;
  return MakeBool(equal == (op == frontend::BinaryOp::kEqual), span);
}

// `default VALUE` gives VALUE in place of a null input, and the input
// otherwise. `default VALUE a b` sets the fields `a` and `b` of a record
// where they are missing or null.
std::optional<CheckedValue> ProbeChecker::CheckDefault(
    const frontend::CommandCall& call, const CheckedValue& input) {
  const char* usage = "write `... | default 0`";
  std::vector<const frontend::Expr*> positionals;
  for (const frontend::Argument& argument : call.arguments) {
    if (!argument.flag.empty()) {
      bool empty = argument.flag == "empty" || argument.flag == "e";
      diagnostics_.Error(argument.span,
                         empty ? "`default --empty` is not supported in a probe, "
                                 "because whether a string is empty is known "
                                 "only when the probe runs"
                               : "`default` has no flag `" + argument.FlagSpelling() +
                                     "` in a probe",
                         empty ? "test the length instead: `if ($s | str "
                                 "length) == 0 { ... }`"
                               : usage);
      return std::nullopt;
    }
    positionals.push_back(argument.value.get());
  }
  if (positionals.empty()) {
    diagnostics_.Error(call.span, "`default` needs a value", usage);
    return std::nullopt;
  }
  std::optional<CheckedValue> fallback = CheckExpr(*positionals[0]);
  if (!fallback) return std::nullopt;

  if (positionals.size() == 1) {
    if (input.shape == Shape::kOptional) {
      return CheckOptionalDefault(input, *fallback, call.span);
    }
    if (input.shape == Shape::kNull) {
      fallback->span = call.span;
      return fallback;
    }
    return input;
  }

  if (input.shape != Shape::kRecord) {
    diagnostics_.Error(input.span,
                       "`default` with field names takes a record, but this is " +
                           input.Described(),
                       "write `$record | default 0 size`, or leave out the "
                       "field names");
    return std::nullopt;
  }
  CheckedValue record = input;
  for (size_t i = 1; i < positionals.size(); ++i) {
    const frontend::Expr& column = *positionals[i];
    if (column.kind != frontend::ExprKind::kString) {
      diagnostics_.Error(column.span, "a field name for `default` must be a string",
                         "write `default 0 size`");
      return std::nullopt;
    }
    const std::string& name = static_cast<const frontend::StringExpr&>(column).value;
    bool found = false;
    for (auto& [field_name, value] : record.fields) {
      if (field_name != name) continue;
      found = true;
      if (value.shape == Shape::kNull) value = *fallback;
    }
    if (!found) record.fields.push_back({name, *fallback});
  }
  return record;
}

// Nushell users test for null before a use in one condition, as in
// `$t != null and $t > 1ms`. Both sides of `and` and `or` are evaluated in
// a probe, but an optional's value is 0 where it is null, so the right
// side is harmless then and its result is not used.
std::map<std::string, CheckedValue> ProbeChecker::NarrowNull(
    const frontend::Expr& condition, bool when_true) const {
  std::map<std::string, CheckedValue> proven;
  if (condition.kind == ExprKind::kUnary) {
    const auto& unary = static_cast<const frontend::UnaryExpr&>(condition);
    if (unary.op == frontend::UnaryOp::kNot) return NarrowNull(*unary.operand, !when_true);
    return proven;
  }
  if (condition.kind != ExprKind::kBinary) return proven;
  const auto& binary = static_cast<const frontend::BinaryExpr&>(condition);

  // `A and B` is true only where both are, and `A or B` false only where
  // both are.
  bool joins = (binary.op == BinaryOp::kAnd && when_true) ||
               (binary.op == BinaryOp::kOr && !when_true);
  if (joins) {
    proven = NarrowNull(*binary.lhs, when_true);
    proven.merge(NarrowNull(*binary.rhs, when_true));
    return proven;
  }

  bool not_equal = binary.op == BinaryOp::kNotEqual;
  if (!not_equal && binary.op != BinaryOp::kEqual) return proven;
  if (not_equal != when_true) return proven;
  const frontend::Expr* variable = binary.lhs.get();
  const frontend::Expr* other = binary.rhs.get();
  if (variable->kind == ExprKind::kNull) std::swap(variable, other);
  if (variable->kind != ExprKind::kVariable || other->kind != ExprKind::kNull) {
    return proven;
  }
  const std::string& name = static_cast<const frontend::VariableExpr&>(*variable).name;
  const CheckedValue* binding = FindBinding(name);
  if (binding == nullptr || binding->shape != Shape::kOptional) return proven;
  CheckedValue value = binding->elements[0];
  value.name = name;
  proven.emplace(name, std::move(value));
  return proven;
}

}  // namespace nubpf::compiler
