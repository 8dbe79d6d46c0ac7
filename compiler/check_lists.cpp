// Lists: `[1 2 3]`, `length`, `first` and `last` on them, and `==` on lists
// and records. A list exists
// only while the probe is checked, as a record does: each element is a value
// of its own, so a list has a fixed length and its elements are read with
// indexes known at compile time (check_cell_paths.cpp).

#include "compiler/probe_checker.h"

namespace nubpf::compiler {

using frontend::ExprKind;
using Shape = CheckedValue::Shape;

std::optional<CheckedValue> ProbeChecker::CheckList(const frontend::ListExpr& list) {
  CheckedValue value;
  value.shape = Shape::kList;
  value.span = list.span;
  for (const frontend::ExprPtr& element : list.elements) {
    std::optional<CheckedValue> checked = CheckExpr(*element);
    if (!checked) return std::nullopt;
    value.elements.push_back(std::move(*checked));
  }
  return value;
}

// `length`, and `first` and `last` with an optional count: `first` gives
// the element, or null for an empty list, and `first 2` a list.
std::optional<CheckedValue> ProbeChecker::CheckListCommand(
    const frontend::CommandCall& call, Command command,
    const CheckedValue& input) {
  if (input.shape != Shape::kList) {
    std::string help = input.IsString() && command == Command::kLength
                           ? "for the bytes of a string, write `str length`"
                           : "";
    diagnostics_.Error(input.span,
                       "`" + call.name + "` takes a list, but this is " +
                           input.Described(),
                       help);
    return std::nullopt;
  }
  int64_t size = static_cast<int64_t>(input.elements.size());
  if (command == Command::kLength) {
    if (!call.arguments.empty()) {
      diagnostics_.Error(call.arguments[0].span, "`length` takes no arguments",
                         "pipe the list into it: `$list | length`");
      return std::nullopt;
    }
    CheckedValue length;
    length.type = mir::Type::Int(64, true);
    length.is_literal = true;
    length.literal = size;
    length.span = call.span;
    return length;
  }

  bool is_first = command == Command::kFirst;
  std::optional<int64_t> count;
  for (const frontend::Argument& argument : call.arguments) {
    std::optional<CheckedValue> value;
    if (argument.flag.empty() && !count) value = CheckExpr(*argument.value);
    if (argument.flag.empty() && !count && !value) return std::nullopt;
    if (!value || !value->is_literal || value->literal < 0) {
      diagnostics_.Error(argument.span,
                         "`" + call.name +
                             "` takes one count known at compile time in a probe",
                         "write `" + call.name + "` for one element or `" +
                             call.name + " 2` for a list of two");
      return std::nullopt;
    }
    count = value->literal;
  }

  if (!count) {
    if (size == 0) return NullValue(call.span);
    CheckedValue element = input.elements[is_first ? 0 : size - 1];
    element.span = call.span;
    return element;
  }
  int64_t taken = std::min(*count, size);
  CheckedValue part;
  part.shape = Shape::kList;
  part.span = call.span;
  auto begin = input.elements.begin() + (is_first ? 0 : size - taken);
  part.elements.assign(begin, begin + taken);
  return part;
}

std::optional<CheckedValue> ProbeChecker::CheckCompositeEquality(
    frontend::BinaryOp op, const CheckedValue& lhs, const CheckedValue& rhs,
    frontend::Span op_span, frontend::Span span) {
  bool equal = op == frontend::BinaryOp::kEqual;

  // Pair up the members to compare; a different shape, length or set of
  // field names makes the values unequal, as in Nushell.
  std::vector<std::pair<const CheckedValue*, const CheckedValue*>> pairs;
  bool same_shape = lhs.shape == rhs.shape;
  if (same_shape && lhs.shape == Shape::kList) {
    same_shape = lhs.elements.size() == rhs.elements.size();
    for (size_t i = 0; same_shape && i < lhs.elements.size(); ++i) {
      pairs.push_back({&lhs.elements[i], &rhs.elements[i]});
    }
  } else if (same_shape) {
    same_shape = lhs.fields.size() == rhs.fields.size();
    for (const auto& [name, value] : lhs.fields) {
      const CheckedValue* other = nullptr;
      for (const auto& [other_name, other_value] : rhs.fields) {
        if (other_name == name) other = &other_value;
      }
      if (other == nullptr) same_shape = false;
      if (!same_shape) break;
      pairs.push_back({&value, other});
    }
  }
  if (!same_shape) return MakeBool(!equal, span);

  std::optional<CheckedValue> all;
  for (const auto& [left, right] : pairs) {
    std::optional<CheckedValue> pair_equal =
        CheckEquality(frontend::BinaryOp::kEqual, *left, *right, op_span, span);
    if (!pair_equal) return std::nullopt;
    all = all ? CombineBools(mir::BinaryOp::kBitAnd, *all, *pair_equal) : *pair_equal;
  }
  if (!all) return MakeBool(equal, span);
  if (equal) return all;
  return Negate(*all);
}

}  // namespace nubpf::compiler
