// `match` on integers, bools and strings, with Nushell's patterns: literals,
// ranges, alternatives `a | b`, bindings `$x`, `_` and guards `if ...`.
//
// The arms become a chain of tests in source order. Each test branches to
// its arm or to the next test, and a guard is one more test after the
// pattern's, with the arm's binding in scope. When no arm matches, a
// `match` statement does nothing, as in Nushell.

#include "compiler/probe_checker.h"

namespace nubpf::compiler {

using frontend::ExprKind;
using frontend::PatternKind;
using mir::Opcode;
using mir::Type;
using mir::TypeKind;

// Returns the subject in the type its tests compare in: integers widen to
// i64 (u64 stays u64), as Nushell's int, so that patterns such as `-1` or
// `0..70000` mean the same for a field of any width.
std::optional<CheckedValue> ProbeChecker::CheckMatchSubject(
    const frontend::Expr& expr) {
  std::optional<CheckedValue> subject = CheckExpr(expr);
  if (!subject || RejectStack(*subject, "the subject of `match`")) return std::nullopt;
  if (subject->IsString()) {
    if (subject->is_string_literal) {
      subject->id = MaterializeDefault(*subject);
      subject->type = Type::String(static_cast<uint32_t>(subject->text.size()) + 1);
      subject->is_string_literal = false;
    }
    return subject;
  }
  if (subject->shape != CheckedValue::Shape::kScalar) {
    diagnostics_.Error(expr.span,
                       "`match` on " + subject->Described() +
                           " is not supported in a probe, because its "
                           "patterns compare one integer, bool or string",
                       "match on one field, such as `match $r.pid { ... }`");
    return std::nullopt;
  }
  if (subject->is_literal || subject->type.kind == TypeKind::kInt) {
    Type type = !subject->is_literal && subject->type == Type::Int(64, false)
                    ? Type::Int(64, false)
                    : Type::Int(64, true);
    subject->id = Materialize(*subject, type);
    subject->type = type;
    subject->is_literal = false;
  }
  return subject;
}

// Returns the bool that is true when `subject` matches `pattern`, kNoValue
// when every value matches, or nullopt after an error.
std::optional<mir::ValueId> ProbeChecker::CheckPattern(
    const frontend::Pattern& pattern, const CheckedValue& subject) {
  switch (pattern.kind) {
    case PatternKind::kWildcard:
    case PatternKind::kBinding:
      return mir::kNoValue;
    case PatternKind::kRange:
      return CheckRangePattern(
          static_cast<const frontend::RangeExpr&>(*pattern.value), subject);
    case PatternKind::kAlternatives: {
      mir::ValueId any = mir::kNoValue;
      for (const frontend::Pattern& alternative : pattern.alternatives) {
        std::optional<mir::ValueId> test = CheckPattern(alternative, subject);
        if (!test) return std::nullopt;
        if (*test == mir::kNoValue) return mir::kNoValue;
        if (any == mir::kNoValue) {
          any = *test;
          continue;
        }
        mir::Instruction either;
        either.opcode = Opcode::kBinary;
        either.binary_op = mir::BinaryOp::kBitOr;
        either.type = Type::Bool();
        either.operands = {any, *test};
        either.span = pattern.span;
        any = Append(std::move(either));
      }
      return any;
    }
    case PatternKind::kLiteral:
      break;
  }

  const frontend::Expr& literal = *pattern.value;
  mir::Instruction test;
  test.type = Type::Bool();
  test.span = pattern.span;
  if (literal.kind == ExprKind::kNull) {
    diagnostics_.Error(pattern.span,
                       "`null` never matches: a value in a probe is never null",
                       "remove this arm, or use `_` for the other values");
    return std::nullopt;
  }
  if (literal.kind == ExprKind::kBool && subject.type.kind == TypeKind::kBool) {
    mir::Instruction constant;
    constant.opcode = Opcode::kConstBool;
    constant.type = Type::Bool();
    constant.int_value = static_cast<const frontend::BoolExpr&>(literal).value;
    constant.span = pattern.span;
    test.opcode = Opcode::kBinary;
    test.binary_op = mir::BinaryOp::kEqual;
    test.operands = {subject.id, Append(std::move(constant))};
    return Append(std::move(test));
  }

  std::optional<CheckedValue> value;
  if (literal.kind == ExprKind::kInt || literal.kind == ExprKind::kString ||
      literal.kind == ExprKind::kUnary) {
    value = CheckExpr(literal);
    if (!value) return std::nullopt;
  }
  bool is_int = value && value->is_literal;
  bool is_string = value && value->is_string_literal;
  if (!is_int && !is_string && literal.kind != ExprKind::kBool) {
    diagnostics_.Error(pattern.span,
                       "a `match` pattern must be a literal, a range, `_` or "
                       "a `$name` binding",
                       "write the value itself, such as `1`, `\"sh\"` or `1..9`");
    return std::nullopt;
  }
  // A kernel enum matches the names of its enumerators.
  if (is_string && subject.kernel_enum != 0) {
    std::optional<CheckedValue> equal =
        CheckEnumName(frontend::BinaryOp::kEqual, subject, *value, pattern.span);
    if (!equal) return std::nullopt;
    return equal->id;
  }
  bool agrees = (is_int && subject.type.kind == TypeKind::kInt) ||
                (is_string && subject.type.kind == TypeKind::kString);
  if (!agrees) {
    std::string kind = "a `bool`";
    if (is_int) kind = "an `int`";
    if (is_string) kind = "a `string`";
    diagnostics_.Error(pattern.span,
                       "this pattern is " + kind + ", but the value matched is " +
                           subject.Described() + ", so it never matches",
                       "use a pattern of the value's type");
    return std::nullopt;
  }

  if (is_string) {
    if (value->text.find('\0') != std::string::npos) {
      diagnostics_.Error(pattern.span, "a string pattern cannot contain a NUL byte",
                         "a kernel string ends at its first NUL; remove the `\\0`");
      return std::nullopt;
    }
    test.opcode = Opcode::kStringEqualsLiteral;
    test.operands = {subject.id};
    test.text = value->text;
    return Append(std::move(test));
  }
  test.opcode = Opcode::kBinary;
  test.binary_op = mir::BinaryOp::kEqual;
  test.operands = {subject.id, Materialize(*value, subject.type)};
  return Append(std::move(test));
}

// A range pattern matches the values the range lists, as Nushell's
// `match` does: `1..3..9` matches 1, 3, 5, 7 and 9, and `5..1` matches 1
// to 5.
std::optional<mir::ValueId> ProbeChecker::CheckRangePattern(
    const frontend::RangeExpr& range, const CheckedValue& subject) {
  if (subject.type.kind != TypeKind::kInt) {
    diagnostics_.Error(range.span,
                       "a range pattern matches integers, but the value matched "
                       "is " + subject.Described(),
                       "match strings with literal patterns such as `\"sh\"`");
    return std::nullopt;
  }
  auto bound = [&](const frontend::ExprPtr& expr) -> std::optional<int64_t> {
    if (!expr) return std::nullopt;
    std::optional<CheckedValue> value = CheckExpr(*expr);
    if (value && value->is_literal) return value->literal;
    if (value) {
      diagnostics_.Error(expr->span, "a range pattern needs integer literals",
                         "write the bounds as numbers, such as `1..9`");
    }
    return std::nullopt;
  };
  std::optional<int64_t> start = bound(range.start);
  if (!start) return std::nullopt;
  std::optional<int64_t> end;
  if (range.end) {
    end = bound(range.end);
    if (!end) return std::nullopt;
  }
  int64_t step = end && *end < *start ? -1 : 1;
  if (range.next) {
    std::optional<int64_t> next = bound(range.next);
    if (!next) return std::nullopt;
    step = *next - *start;
    if (step == 0) {
      diagnostics_.Error(range.next->span,
                         "this range never advances: its second value equals "
                         "its first",
                         "write a second value that differs from the first");
      return std::nullopt;
    }
  }

  auto constant = [&](int64_t number) {
    mir::Instruction instruction;
    instruction.opcode = Opcode::kConstInt;
    instruction.type = subject.type;
    instruction.int_value = number;
    instruction.span = range.span;
    return Append(std::move(instruction));
  };
  auto binary = [&](mir::BinaryOp op, mir::ValueId lhs, mir::ValueId rhs, Type type) {
    mir::Instruction instruction;
    instruction.opcode = Opcode::kBinary;
    instruction.binary_op = op;
    instruction.type = type;
    instruction.operands = {lhs, rhs};
    instruction.span = range.span;
    return Append(std::move(instruction));
  };

  // The bound at `start` is always inclusive; the one at `end` only
  // without `..<`.
  bool ascending = step > 0;
  mir::ValueId test = binary(ascending ? mir::BinaryOp::kGreaterEqual
                                       : mir::BinaryOp::kLessEqual,
                             subject.id, constant(*start), Type::Bool());
  if (end) {
    mir::BinaryOp op = ascending ? (range.inclusive ? mir::BinaryOp::kLessEqual
                                                    : mir::BinaryOp::kLess)
                                 : (range.inclusive ? mir::BinaryOp::kGreaterEqual
                                                    : mir::BinaryOp::kGreater);
    mir::ValueId below = binary(op, subject.id, constant(*end), Type::Bool());
    test = binary(mir::BinaryOp::kBitAnd, test, below, Type::Bool());
  }
  if (step != 1 && step != -1) {
    uint64_t magnitude = step < 0 ? 0 - static_cast<uint64_t>(step)
                                  : static_cast<uint64_t>(step);
    mir::ValueId offset =
        binary(mir::BinaryOp::kSubtract, subject.id, constant(*start), subject.type);
    mir::ValueId remainder = binary(mir::BinaryOp::kFloorModulo, offset,
                                    constant(static_cast<int64_t>(magnitude)),
                                    subject.type);
    mir::ValueId on_step =
        binary(mir::BinaryOp::kEqual, remainder, constant(0), Type::Bool());
    test = binary(mir::BinaryOp::kBitAnd, test, on_step, Type::Bool());
  }
  return test;
}

// True when `pattern` is the bool literal `value`, or an alternative of it.
static bool MatchesBool(const frontend::Pattern& pattern, bool value) {
  if (pattern.kind == PatternKind::kAlternatives) {
    for (const frontend::Pattern& alternative : pattern.alternatives) {
      if (MatchesBool(alternative, value)) return true;
    }
    return false;
  }
  return pattern.kind == PatternKind::kLiteral &&
         pattern.value->kind == ExprKind::kBool &&
         static_cast<const frontend::BoolExpr&>(*pattern.value).value == value;
}

std::optional<CheckedValue> ProbeChecker::CheckMatch(
    const frontend::MatchExpr& match, bool want_value) {
  std::optional<CheckedValue> subject = CheckMatchSubject(*match.subject);
  if (!subject) return std::nullopt;

  mir::BlockId join = NewBlock();
  std::vector<BranchEnd> ends;
  bool ok = true;
  // The block where the next arm's test goes. Once an arm has matched
  // every value, `reachable` is false and the later arms get blocks that no
  // branch reaches.
  mir::BlockId next_test = current_block_;
  bool reachable = true;
  bool covers_true = false;
  bool covers_false = false;
  // Stores in an arm leave a `mut` value unknown after the `match`.
  ++control_depth_;
  for (const frontend::MatchArm& arm : match.arms) {
    // Arms after a catch-all are still checked, in a block no branch
    // reaches, so that their errors are reported.
    current_block_ = reachable ? next_test : NewBlock();

    std::optional<mir::ValueId> test = CheckPattern(arm.pattern, *subject);
    if (!test) {
      ok = false;
      continue;
    }
    bool always = *test == mir::kNoValue && !arm.guard;
    mir::BlockId arm_block = current_block_;
    mir::BlockId miss = 0;
    if (!always) miss = NewBlock();
    if (*test != mir::kNoValue) {
      arm_block = NewBlock();
      Branch(*test, arm_block, miss);
      current_block_ = arm_block;
    }

    scopes_.emplace_back();
    if (arm.pattern.kind == PatternKind::kBinding) {
      CheckedValue binding = *subject;
      binding.name = arm.pattern.name;
      scopes_.back()[arm.pattern.name] = binding;
    }
    if (arm.guard) {
      std::optional<CheckedValue> guard = CheckCondition(*arm.guard);
      if (!guard) {
        scopes_.pop_back();
        ok = false;
        current_block_ = miss;
        next_test = miss;
        continue;
      }
      mir::BlockId body = NewBlock();
      Branch(guard->id, body, miss);
      current_block_ = body;
    }
    std::optional<CheckedValue> value = CheckBranch(arm.body, want_value, "`match`");
    scopes_.pop_back();
    if (value) {
      ends.push_back({current_block_, *value});
    } else {
      ok = false;
    }

    // `true` and `false` arms together cover every bool.
    if (subject->type.kind == TypeKind::kBool && !arm.guard) {
      covers_true = covers_true || MatchesBool(arm.pattern, true);
      covers_false = covers_false || MatchesBool(arm.pattern, false);
      always = always || (covers_true && covers_false);
    }
    if (reachable && always) reachable = false;
    if (!always) next_test = miss;
  }

  --control_depth_;

  if (reachable) {
    bool gives_value = !ends.empty() && ends[0].value.shape != CheckedValue::Shape::kNothing;
    if (want_value && ok && gives_value) {
      diagnostics_.Error(match.span,
                         "this `match` has no value when no arm matches",
                         "add a last arm `_ => ...` that matches every value");
      ok = false;
    }
    current_block_ = next_test;
    Jump(join);
  }
  if (!ok) {
    current_block_ = join;
    return std::nullopt;
  }
  if (ends.empty()) {
    current_block_ = join;
    CheckedValue nothing;
    nothing.shape = CheckedValue::Shape::kNothing;
    return nothing;
  }
  return JoinBranches(ends, join, match.span, "`match`");
}

}  // namespace nubpf::compiler
