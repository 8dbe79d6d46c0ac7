// `null`: a value known at compile time, as the result of a missing
// optional member (`$r.size?`) or the literal. No run-time value is ever
// null, so comparisons with null fold to constants and `default` picks its
// result while checking.

#include "compiler/probe_checker.h"

namespace nubpf::compiler {

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

}  // namespace nubpf::compiler
