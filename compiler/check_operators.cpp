// Operators that compile to several instructions or fold at compile time:
// `**` with a constant exponent, `in` and `not-in` on lists, ranges and
// strings, the `starts-with` and `ends-with` operators, and `=~` and `!~`
// with patterns that are plain text.
//
//   $e.pid in [1 10 100]    pid == 1 or pid == 10 or pid == 100
//   $e.ret in 1..<4096      ret >= 1 and ret < 4096
//   $e.comm =~ "^ba"        $e.comm | str starts-with "ba"

#include "compiler/literal_regex.h"
#include "compiler/probe_checker.h"

namespace nubpf::compiler {

using frontend::BinaryOp;
using mir::Opcode;
using mir::Type;
using mir::TypeKind;
using Shape = CheckedValue::Shape;

static std::string Spelling(BinaryOp op) { return frontend::BinaryOpSpelling(op); }

static bool IsInteger(const CheckedValue& value) {
  return value.shape == Shape::kScalar && !value.is_string_literal &&
         value.type.kind == TypeKind::kInt;
}

CheckedValue ProbeChecker::MakeBool(bool value, frontend::Span span) {
  mir::Instruction constant;
  constant.opcode = Opcode::kConstBool;
  constant.type = Type::Bool();
  constant.int_value = value;
  constant.span = span;
  return *MakeValue(std::move(constant));
}

CheckedValue ProbeChecker::Negate(const CheckedValue& condition) {
  mir::Instruction negation;
  negation.opcode = Opcode::kNot;
  negation.type = Type::Bool();
  negation.operands = {condition.id};
  negation.span = condition.span;
  return *MakeValue(std::move(negation));
}

CheckedValue ProbeChecker::CombineBools(mir::BinaryOp op, const CheckedValue& lhs,
                                        const CheckedValue& rhs) {
  mir::Instruction combined;
  combined.opcode = Opcode::kBinary;
  combined.binary_op = op;
  combined.type = Type::Bool();
  combined.operands = {lhs.id, rhs.id};
  combined.span = lhs.span;
  return *MakeValue(std::move(combined));
}

// `base ** exponent` with an exponent known at compile time: the exponent's
// binary digits give a chain of squarings and multiplications, so that
// `$x ** 10` takes four multiplications. Overflow wraps, as `*` does.
std::optional<CheckedValue> ProbeChecker::CheckPower(
    const frontend::BinaryExpr& binary) {
  std::optional<CheckedValue> base = CheckExpr(*binary.lhs);
  std::optional<CheckedValue> exponent = CheckExpr(*binary.rhs);
  if (!base || !exponent) return std::nullopt;
  for (const CheckedValue* operand : {&*base, &*exponent}) {
    if (IsInteger(*operand)) continue;
    if (RejectStack(*operand, "an operand of `**`")) return std::nullopt;
    diagnostics_.Error(operand->span,
                       "`**` takes integers, but this is " + operand->Described(),
                       "raise an integer to a constant power, such as "
                       "`$e.ret ** 2`");
    return std::nullopt;
  }
  if (!exponent->is_literal) {
    diagnostics_.Error(binary.rhs->span,
                       "`**` with an exponent computed at run time is not "
                       "supported in a probe, because the number of "
                       "multiplications must be known when it is compiled",
                       "use a literal or a `const` exponent, such as `$x ** 2`");
    return std::nullopt;
  }
  if (exponent->literal < 0) {
    diagnostics_.Error(binary.rhs->span,
                       "a negative exponent is not supported in a probe, "
                       "because Nushell raises an error for it on integers",
                       "use an exponent of 0 or more");
    return std::nullopt;
  }

  uint64_t remaining = static_cast<uint64_t>(exponent->literal);
  if (base->is_literal) {
    uint64_t result = 1;
    uint64_t square = static_cast<uint64_t>(base->literal);
    for (; remaining != 0; remaining >>= 1) {
      if (remaining & 1) result *= square;
      square *= square;
    }
    CheckedValue folded = *base;
    folded.literal = static_cast<int64_t>(result);
    folded.span = binary.span;
    return folded;
  }

  // Square-and-multiply on the 64-bit value, as `*` computes it. `$x ** 0`
  // is 1, as in Nushell.
  if (remaining == 0) {
    CheckedValue one;
    one.type = Type::Int(64, true);
    one.is_literal = true;
    one.literal = 1;
    one.span = binary.span;
    return one;
  }
  std::optional<CheckedValue> result;
  std::optional<CheckedValue> square = *base;
  for (; remaining != 0; remaining >>= 1) {
    if (remaining & 1) {
      result = result ? CheckIntegerOperator(BinaryOp::kMultiply, *result, *square,
                                             binary.span)
                      : square;
      if (!result) return std::nullopt;
    }
    if (remaining > 1) {
      square = CheckIntegerOperator(BinaryOp::kMultiply, *square, *square, binary.span);
      if (!square) return std::nullopt;
    }
  }
  result->span = binary.span;
  return result;
}

// `value in container` and `value not-in container`.
std::optional<CheckedValue> ProbeChecker::CheckMembership(
    const frontend::BinaryExpr& binary) {
  std::optional<CheckedValue> value = CheckExpr(*binary.lhs);
  if (!value) return std::nullopt;
  std::string use = "an operand of `" + Spelling(binary.op) + "`";
  if (RejectStack(*value, use)) return std::nullopt;

  std::optional<CheckedValue> result;
  if (binary.rhs->kind == frontend::ExprKind::kRange) {
    result = CheckRangeMembership(
        binary, *value, static_cast<const frontend::RangeExpr&>(*binary.rhs));
  } else {
    std::optional<CheckedValue> container = CheckExpr(*binary.rhs);
    if (!container || RejectStack(*container, use)) return std::nullopt;
    if (container->shape == Shape::kList) {
      result = CheckListMembership(binary, *value, *container);
    } else if (container->shape == Shape::kRecord) {
      // `"pid" in $r` tests the record's field names, as in Nushell.
      CheckedValue names;
      names.shape = Shape::kList;
      for (const auto& [name, unused] : container->fields) {
        CheckedValue key;
        key.is_string_literal = true;
        key.text = name;
        key.span = container->span;
        names.elements.push_back(std::move(key));
      }
      result = CheckListMembership(binary, *value, names);
    } else if (container->IsString() && value->IsString()) {
      // `"ab" in $e.comm` is substring containment.
      if (!value->is_string_literal) {
        diagnostics_.Error(binary.lhs->span,
                           "`in` with a string computed at run time on the "
                           "left is not supported in a probe, because a probe "
                           "searches a string only for a literal",
                           "search for a literal, such as `\"ab\" in $e.comm`");
        return std::nullopt;
      }
      if (container->is_string_literal) {
        result = MakeBool(container->text.find(value->text) != std::string::npos,
                          binary.span);
      } else {
        result = SearchString(Opcode::kStringContains, *container, value->text,
                              /*ignore_case=*/false, binary.span);
      }
    } else {
      diagnostics_.Error(binary.rhs->span,
                         "`" + Spelling(binary.op) +
                             "` takes a list, a range, a record or a string on "
                             "the right, but this is " + container->Described(),
                         "write `$e.pid in [1 2 3]`, `$e.pid in 1..100` or "
                         "`\"ab\" in $e.comm`");
      return std::nullopt;
    }
  }
  if (!result) return std::nullopt;
  result->span = binary.span;
  if (binary.op == BinaryOp::kIn) return result;
  return Negate(*result);
}

// An OR of `value == element` over the list; false for an empty list.
std::optional<CheckedValue> ProbeChecker::CheckListMembership(
    const frontend::BinaryExpr& binary, const CheckedValue& value,
    const CheckedValue& list) {
  if (value.shape == Shape::kRecord || value.shape == Shape::kList) {
    diagnostics_.Error(binary.lhs->span,
                       "`" + Spelling(binary.op) + "` on " + value.Described() +
                           " is not supported in a probe, because a probe "
                           "compares only ints, bools, strings and null",
                       "test one of its fields, such as `$r.pid in [1 2]`");
    return std::nullopt;
  }
  std::optional<CheckedValue> any;
  for (const CheckedValue& element : list.elements) {
    if (element.shape == Shape::kRecord || element.shape == Shape::kList) {
      diagnostics_.Error(element.span,
                         "this list element is " + element.Described() +
                             ", but `" + Spelling(binary.op) +
                             "` in a probe compares only ints, bools, strings "
                             "and null",
                         "list the values themselves, such as `[1 2 3]`");
      return std::nullopt;
    }
    std::optional<CheckedValue> equal = CheckEquality(
        BinaryOp::kEqual, value, element, binary.op_span, binary.span);
    if (!equal) return std::nullopt;
    any = any ? CombineBools(mir::BinaryOp::kBitOr, *any, *equal) : *equal;
  }
  if (!any) return MakeBool(false, binary.span);
  return any;
}

// `value in START..END`, `START..<END` and `START..NEXT..END` with bounds
// known at compile time. Nushell counts down when END is below START, and
// a step keeps only START plus a multiple of it, which the probe tests with
// `mod`.
std::optional<CheckedValue> ProbeChecker::CheckRangeMembership(
    const frontend::BinaryExpr& binary, const CheckedValue& value,
    const frontend::RangeExpr& range) {
  auto constant = [&](const frontend::Expr* expr) -> std::optional<int64_t> {
    std::optional<CheckedValue> bound = CheckExpr(*expr);
    if (!bound) return std::nullopt;
    if (bound->is_literal) return bound->literal;
    diagnostics_.Error(expr->span,
                       "a range bound computed at run time is not supported "
                       "with `" + Spelling(binary.op) + "` in a probe",
                       "use literals or `const` values, or compare: "
                       "`$x >= $low and $x <= $high`");
    return std::nullopt;
  };
  std::optional<int64_t> start = constant(range.start.get());
  if (!start) return std::nullopt;
  std::optional<int64_t> end;
  if (range.end) {
    end = constant(range.end.get());
    if (!end) return std::nullopt;
  }
  int64_t step = end && *end < *start ? -1 : 1;
  if (range.next) {
    std::optional<int64_t> next = constant(range.next.get());
    if (!next) return std::nullopt;
    step = static_cast<int64_t>(static_cast<uint64_t>(*next) -
                                static_cast<uint64_t>(*start));
    bool away_from_end = end && (step > 0 ? *end < *start : *end > *start);
    if (step == 0 || away_from_end) {
      diagnostics_.Error(range.span,
                         "this range is not supported in a probe, because "
                         "Nushell raises an error for a step of 0 or a step "
                         "away from the end",
                         "write the step toward the end, such as `1..3..9`");
      return std::nullopt;
    }
  }
  if (!IsInteger(value)) {
    diagnostics_.Error(binary.lhs->span,
                       "`" + Spelling(binary.op) + "` a range takes an integer, "
                       "but this is " + value.Described(),
                       value.IsString() ? "for a number in a string, write "
                                          "`($s | into int) in 1..10`"
                                        : "test an integer, such as `$e.pid in 1..100`");
    return std::nullopt;
  }

  // The tests, in the direction of the range: value after START, value
  // before END, and value at START plus a multiple of the step. They run
  // on the value widened to i64, except that a u64 stays unsigned.
  bool up = step > 0;
  CheckedValue wide = value;
  if (!value.is_literal && value.type != Type::Int(64, false)) {
    wide.id = Materialize(value, Type::Int(64, true));
    wide.type = Type::Int(64, true);
  } else if (!value.is_literal && (*start < 0 || (end && *end < 0))) {
    diagnostics_.Error(range.span,
                       "a range with a negative bound cannot hold a `u64` in "
                       "a probe, because the comparison is unsigned",
                       "compare with `>=` and `<=` instead");
    return std::nullopt;
  }
  auto literal = [&](int64_t number) {
    CheckedValue bound;
    bound.type = Type::Int(64, true);
    bound.is_literal = true;
    bound.literal = number;
    bound.span = range.span;
    return bound;
  };
  auto compare = [&](BinaryOp op, int64_t bound) {
    return CheckIntegerOperator(op, wide, literal(bound), binary.span);
  };
  std::optional<CheckedValue> inside =
      compare(up ? BinaryOp::kGreaterEqual : BinaryOp::kLessEqual, *start);
  if (!inside) return std::nullopt;
  if (end) {
    BinaryOp op = up ? (range.inclusive ? BinaryOp::kLessEqual : BinaryOp::kLess)
                     : (range.inclusive ? BinaryOp::kGreaterEqual : BinaryOp::kGreater);
    std::optional<CheckedValue> before_end = compare(op, *end);
    if (!before_end) return std::nullopt;
    inside = CombineBools(mir::BinaryOp::kBitAnd, *inside, *before_end);
  }
  if (step != 1 && step != -1) {
    // (value - START) mod |step| == 0. A value on the wrong side of START
    // has already failed the first test, so the remainder's sign does not
    // matter.
    std::optional<CheckedValue> offset =
        CheckIntegerOperator(BinaryOp::kSubtract, wide, literal(*start), binary.span);
    if (!offset) return std::nullopt;
    uint64_t magnitude = step > 0 ? static_cast<uint64_t>(step)
                                  : 0 - static_cast<uint64_t>(step);
    std::optional<CheckedValue> remainder = CheckIntegerOperator(
        BinaryOp::kModulo, *offset, literal(static_cast<int64_t>(magnitude)),
        binary.span);
    if (!remainder) return std::nullopt;
    std::optional<CheckedValue> on_step =
        CheckIntegerOperator(BinaryOp::kEqual, *remainder, literal(0), binary.span);
    if (!on_step) return std::nullopt;
    inside = CombineBools(mir::BinaryOp::kBitAnd, *inside, *on_step);
  }
  return inside;
}

std::optional<CheckedValue> ProbeChecker::SearchString(
    Opcode opcode, const CheckedValue& text, std::string literal,
    bool ignore_case, frontend::Span span) {
  if (literal.find('\0') != std::string::npos) {
    diagnostics_.Error(span, "the string searched for cannot contain a NUL byte",
                       "remove the `\\0` from the string");
    return std::nullopt;
  }
  mir::ValueId operand = MaterializeDefault(text);
  if (ignore_case) {
    uint32_t capacity = function_->value_types[operand].capacity;
    operand = MakeString(Opcode::kStringLower, capacity, operand, span)->id;
    for (char& c : literal) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
  }
  mir::Instruction test;
  test.opcode = opcode;
  test.type = Type::Bool();
  test.operands = {operand};
  test.text = std::move(literal);
  test.span = span;
  return MakeValue(std::move(test));
}

// Reports the first operand of `binary` that is not a string, with `help`
// (only for a scalar when `scalar_only`). Returns false after reporting.
bool ProbeChecker::CheckStringOperands(const frontend::BinaryExpr& binary,
                                       const CheckedValue& lhs, const CheckedValue& rhs,
                                       const std::string& help, bool scalar_only) {
  for (const CheckedValue* operand : {&lhs, &rhs}) {
    if (operand->IsString()) continue;
    if (RejectStack(*operand, "an operand of `" + Spelling(binary.op) + "`")) return false;
    diagnostics_.Error(operand->span,
                       "`" + Spelling(binary.op) + "` takes strings, but this is " +
                           operand->Described(),
                       !scalar_only || operand->shape == Shape::kScalar ? help : "");
    return false;
  }
  return true;
}

// `$s starts-with "x"` and `$s ends-with "x"`, as `str starts-with`.
std::optional<CheckedValue> ProbeChecker::CheckStringOperator(
    const frontend::BinaryExpr& binary) {
  std::optional<CheckedValue> text = CheckExpr(*binary.lhs);
  std::optional<CheckedValue> affix = CheckExpr(*binary.rhs);
  if (!text || !affix ||
      !CheckStringOperands(binary, *text, *affix, "convert it first with `into string`",
                           /*scalar_only=*/true)) {
    return std::nullopt;
  }
  if (!affix->is_string_literal) {
    diagnostics_.Error(binary.rhs->span,
                       "`" + Spelling(binary.op) + "` with a string computed at "
                           "run time on the right is not supported in a probe, "
                           "because a probe compares a string only with a literal",
                       "compare with a literal, such as `$e.comm " +
                           Spelling(binary.op) + " \"ba\"`");
    return std::nullopt;
  }

  LiteralRegex search;
  search.search = binary.op == BinaryOp::kStartsWith ? LiteralSearch::kStartsWith
                                                     : LiteralSearch::kEndsWith;
  search.text = affix->text;
  if (text->is_string_literal) {
    return MakeBool(MatchesLiteralRegex(search, text->text), binary.span);
  }
  return SearchString(binary.op == BinaryOp::kStartsWith ? Opcode::kStringStartsWith
                                                         : Opcode::kStringEndsWith,
                      *text, affix->text, /*ignore_case=*/false, binary.span);
}

// `$s =~ "pattern"` and `$s !~ "pattern"`, for patterns that are plain
// text with `^`, `$` and `(?i)` (literal_regex.h).
std::optional<CheckedValue> ProbeChecker::CheckRegexMatch(
    const frontend::BinaryExpr& binary) {
  std::optional<CheckedValue> text = CheckExpr(*binary.lhs);
  std::optional<CheckedValue> pattern = CheckExpr(*binary.rhs);
  if (!text || !pattern ||
      !CheckStringOperands(binary, *text, *pattern,
                           "match a string with a pattern, such as `$e.comm =~ \"^ba\"`",
                           /*scalar_only=*/false)) {
    return std::nullopt;
  }
  const char* help =
      "search for plain text with `str contains`, `str starts-with` or "
      "`str ends-with`, or write the pattern as text anchored with `^` and "
      "`$`, with `\\` before `.` and the other metacharacters";
  if (!pattern->is_string_literal) {
    diagnostics_.Error(binary.rhs->span,
                       "a pattern computed at run time is not supported in a "
                       "probe, because a probe searches a string only for a "
                       "literal",
                       help);
    return std::nullopt;
  }
  std::string unsupported;
  std::optional<LiteralRegex> regex = ParseLiteralRegex(pattern->text, &unsupported);
  if (!regex) {
    diagnostics_.Error(binary.rhs->span,
                       "regular expressions are not supported in a probe, "
                       "because a probe can only search for plain text, and " +
                           unsupported + " in this pattern is more than that",
                       help);
    return std::nullopt;
  }

  std::optional<CheckedValue> result;
  if (text->is_string_literal) {
    result = MakeBool(MatchesLiteralRegex(*regex, text->text), binary.span);
  } else if (regex->search == LiteralSearch::kEquals && !regex->ignore_case) {
    CheckedValue literal;
    literal.is_string_literal = true;
    literal.text = regex->text;
    literal.span = binary.rhs->span;
    result = CheckStringEquality(BinaryOp::kEqual, *text, literal, binary.op_span,
                                 binary.span);
  } else {
    Opcode opcode = regex->search == LiteralSearch::kContains ? Opcode::kStringContains
                    : regex->search == LiteralSearch::kStartsWith
                        ? Opcode::kStringStartsWith
                    : regex->search == LiteralSearch::kEndsWith ? Opcode::kStringEndsWith
                                                                : Opcode::kStringEqualsLiteral;
    result = SearchString(opcode, *text, regex->text, regex->ignore_case, binary.span);
  }
  if (!result) return std::nullopt;
  if (binary.op == BinaryOp::kRegexMatch) return result;
  return Negate(*result);
}

}  // namespace nubpf::compiler
