// Operator precedence and associativity, checked against Nushell's ranks:
// `**`, then `* / // mod`, `+ -`, `bit-shl bit-shr`, comparisons (with
// `=~ !~ in not-in starts-with ends-with`), `bit-and`, `bit-xor`, `bit-or`,
// `and`, `xor`, `or`. All group to the left except `**`, and `not` and `-`
// apply to the one value after them.
#include <gtest/gtest.h>

#include "parse_helpers.h"

namespace nubpf::frontend::testing {
namespace {

// Renders an expression fully parenthesized: `(+ 1 (* 2 3))`.
std::string Sexpr(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kInt:
      return std::to_string(static_cast<const IntExpr&>(expr).value);
    case ExprKind::kString:
      return "\"" + static_cast<const StringExpr&>(expr).value + "\"";
    case ExprKind::kBool:
      return static_cast<const BoolExpr&>(expr).value ? "true" : "false";
    case ExprKind::kVariable:
      return "$" + static_cast<const VariableExpr&>(expr).name;
    case ExprKind::kField: {
      const auto& field = static_cast<const FieldExpr&>(expr);
      return Sexpr(*field.base) + "." + field.field;
    }
    case ExprKind::kUnary: {
      const auto& unary = static_cast<const UnaryExpr&>(expr);
      return std::string(unary.op == UnaryOp::kNot ? "(not " : "(neg ") +
             Sexpr(*unary.operand) + ")";
    }
    case ExprKind::kBinary: {
      const auto& binary = static_cast<const BinaryExpr&>(expr);
      return std::string("(") + BinaryOpSpelling(binary.op) + " " +
             Sexpr(*binary.lhs) + " " + Sexpr(*binary.rhs) + ")";
    }
    case ExprKind::kRecord:
      return "{record}";
    case ExprKind::kNull:
      return "null";
    case ExprKind::kList:
      return "[list]";
    case ExprKind::kRange: {
      const auto& range = static_cast<const RangeExpr&>(expr);
      return "(range " + Sexpr(*range.start) + " " +
             (range.end ? Sexpr(*range.end) : "open") + ")";
    }
    case ExprKind::kInterpolation:
      return "$\"...\"";
    case ExprKind::kIf:
      return "(if)";
    case ExprKind::kMatch:
      return "(match)";
    case ExprKind::kPipeline:
      return "(pipeline)";
  }
  return "?";
}

// Parses `let x = EXPRESSION` and renders the value.
std::string Grouping(const std::string& expression) {
  ParseOutput out = ParseText("probe a:b { let x = " + expression + " }");
  if (!out.ok) return "error: " + out.compact;
  const auto& let =
      static_cast<const LetStmt&>(*out.ast.probes[0].body.statements[0]);
  return Sexpr(*let.value);
}

struct Case {
  const char* expression;
  const char* grouping;
};

TEST(Precedence, Table) {
  const Case cases[] = {
      {"1 + 2 * 3", "(+ 1 (* 2 3))"},
      {"1 * 2 + 3", "(+ (* 1 2) 3)"},
      {"1 - 2 - 3", "(- (- 1 2) 3)"},
      {"1 + 2 - 3 + 4", "(+ (- (+ 1 2) 3) 4)"},
      {"2 * 3 * 4", "(* (* 2 3) 4)"},
      {"(1 + 2) * 3", "(* (+ 1 2) 3)"},
      {"1 + 2 == 3", "(== (+ 1 2) 3)"},
      {"$a == 1 + 2 * 3", "(== $a (+ 1 (* 2 3)))"},
      {"$a < $b < $c", "(< (< $a $b) $c)"},
      {"$a == $b != $c", "(!= (== $a $b) $c)"},
      {"$a >= 1 and $b <= 2", "(and (>= $a 1) (<= $b 2))"},
      {"$a > 1 or $b < 2 and $c", "(or (> $a 1) (and (< $b 2) $c))"},
      {"$a and $b or $c and $d", "(or (and $a $b) (and $c $d))"},
      {"$a or $b or $c", "(or (or $a $b) $c)"},
      {"$a and $b and $c", "(and (and $a $b) $c)"},
      {"not $a and $b", "(and (not $a) $b)"},
      {"not $a or not $b", "(or (not $a) (not $b))"},
      {"not not $a", "(not (not $a))"},
      {"not ($a and $b)", "(not (and $a $b))"},
      {"$a and not $b == 1", "(and $a (== (not $b) 1))"},
      {"-1 + 2", "(+ (neg 1) 2)"},
      {"-$x * -2",
       "error: probe.nu:1:21: error: Nushell reads `-$x` as a string, not as a "
       "negation\nprobe.nu:1:21: help: write `0 - $x`\n"},
      {"$x * -2", "(* $x (neg 2))"},
      {"-(3 + 4)",
       "error: probe.nu:1:21: error: Nushell reads `-(3 + 4)` as a string, not "
       "as a negation\nprobe.nu:1:21: help: write `0 - (3 + 4)`\n"},
      {"1 - -2", "(- 1 (neg 2))"},
      {"-$e.ret",
       "error: probe.nu:1:21: error: Nushell reads `-$e.ret` as a string, not as "
       "a negation\nprobe.nu:1:21: help: write `0 - $e.ret`\n"},
      {"not $e.a.b", "(not $e.a.b)"},
      {"2 ** 3 ** 2", "(** 2 (** 3 2))"},
      {"2 * 3 ** 2", "(* 2 (** 3 2))"},
      {"2 ** 3 * 2", "(* (** 2 3) 2)"},
      {"-2 ** 2", "(** (neg 2) 2)"},
      {"8 / 2 / 2", "(/ (/ 8 2) 2)"},
      {"7 // 2 mod 3", "(mod (// 7 2) 3)"},
      {"1 + 6 / 2", "(+ 1 (/ 6 2))"},
      {"1 + 2 bit-shl 3", "(bit-shl (+ 1 2) 3)"},
      {"1 bit-shl 2 < 8", "(< (bit-shl 1 2) 8)"},
      {"$a bit-and 1 == 1", "(bit-and $a (== 1 1))"},
      {"1 bit-or 2 bit-xor 3 bit-and 4",
       "(bit-or 1 (bit-xor 2 (bit-and 3 4)))"},
      {"$a bit-or $b and $c", "(and (bit-or $a $b) $c)"},
      {"$a or $b xor $c and $d", "(or $a (xor $b (and $c $d)))"},
      {"$a xor $b xor $c", "(xor (xor $a $b) $c)"},
      {"$s starts-with \"a\" and $s ends-with \"b\"",
       "(and (starts-with $s \"a\") (ends-with $s \"b\"))"},
      {"$s =~ \"x\" or $s !~ \"y\"", "(or (=~ $s \"x\") (!~ $s \"y\"))"},
      {"$s like \"x\"", "(=~ $s \"x\")"},
      {"$x in $l and $y not-in $l", "(and (in $x $l) (not-in $y $l))"},
      {"1 + 1 in $l", "(in (+ 1 1) $l)"},
      {"$a..$b", "(range $a $b)"},
      {"1 + 1..5", "(+ 1 (range 1 5))"},
      {"-1..5", "(range (neg 1) 5)"},
      {"$e.ret >= $min_bytes and ($comm == \"\" or $e.comm == $comm)",
       "(and (>= $e.ret $min_bytes) (or (== $comm \"\") (== $e.comm $comm)))"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Grouping(c.expression), c.grouping) << c.expression;
  }
}

TEST(Precedence, NotBeforeComparisonGroupsLikeNushell) {
  // Nushell 0.90 and later read `not $a == 1` as `(not $a) == 1`.
  ParseOutput out = ParseText("probe a:b { let x = not $a == 1 }");
  EXPECT_TRUE(out.ok);
  EXPECT_EQ(out.warnings, 1);
  EXPECT_EQ(Grouping("not $a == 1"), "(== (not $a) 1)");
}

TEST(Precedence, OperatorSpans) {
  std::string text = "probe a:b { let x = 1 + 2 * 3 }";
  ParseOutput out = ParseText(text);
  ASSERT_TRUE(out.ok);
  SourceFile file("probe.nu", text);
  const auto& let =
      static_cast<const LetStmt&>(*out.ast.probes[0].body.statements[0]);
  const auto& sum = static_cast<const BinaryExpr&>(*let.value);
  EXPECT_EQ(file.Slice(sum.span), "1 + 2 * 3");
  EXPECT_EQ(file.Slice(sum.op_span), "+");
  const auto& product = static_cast<const BinaryExpr&>(*sum.rhs);
  EXPECT_EQ(file.Slice(product.span), "2 * 3");
  EXPECT_EQ(file.Slice(product.op_span), "*");
}

TEST(Precedence, Spellings) {
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kAdd), "+");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kSubtract), "-");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kMultiply), "*");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kEqual), "==");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kNotEqual), "!=");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kLess), "<");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kLessEqual), "<=");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kGreater), ">");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kGreaterEqual), ">=");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kAnd), "and");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kOr), "or");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kDivide), "/");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kFloorDivide), "//");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kModulo), "mod");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kPower), "**");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kRegexMatch), "=~");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kNotRegexMatch), "!~");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kIn), "in");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kNotIn), "not-in");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kStartsWith), "starts-with");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kEndsWith), "ends-with");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kBitAnd), "bit-and");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kBitOr), "bit-or");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kBitXor), "bit-xor");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kShiftLeft), "bit-shl");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kShiftRight), "bit-shr");
  EXPECT_STREQ(BinaryOpSpelling(BinaryOp::kXor), "xor");
}

}  // namespace
}  // namespace nubpf::frontend::testing
