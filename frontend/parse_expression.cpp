// Binary operators by precedence, and the errors for operators that Nushell
// lacks or that need parentheses where they are.
#include <optional>
#include <string_view>

#include "frontend/parser_internal.h"

namespace nubpf::frontend {
namespace {

struct OperatorToken {
  TokenKind token;
  BinaryOp op;
};

constexpr OperatorToken kOperatorTokens[] = {
    {TokenKind::kPlus, BinaryOp::kAdd},
    {TokenKind::kMinus, BinaryOp::kSubtract},
    {TokenKind::kStar, BinaryOp::kMultiply},
    {TokenKind::kSlash, BinaryOp::kDivide},
    {TokenKind::kSlashSlash, BinaryOp::kFloorDivide},
    {TokenKind::kStarStar, BinaryOp::kPower},
    {TokenKind::kEqualEqual, BinaryOp::kEqual},
    {TokenKind::kNotEqual, BinaryOp::kNotEqual},
    {TokenKind::kLess, BinaryOp::kLess},
    {TokenKind::kLessEqual, BinaryOp::kLessEqual},
    {TokenKind::kGreater, BinaryOp::kGreater},
    {TokenKind::kGreaterEqual, BinaryOp::kGreaterEqual},
    {TokenKind::kRegexMatch, BinaryOp::kRegexMatch},
    {TokenKind::kNotRegexMatch, BinaryOp::kNotRegexMatch},
    {TokenKind::kAnd, BinaryOp::kAnd},
    {TokenKind::kOr, BinaryOp::kOr},
};

struct OperatorWord {
  std::string_view word;
  BinaryOp op;
};

// Operators spelled as words. `like` and `not-like` are Nushell's other
// spellings of `=~` and `!~`.
constexpr OperatorWord kOperatorWords[] = {
    {"mod", BinaryOp::kModulo},
    {"in", BinaryOp::kIn},
    {"not-in", BinaryOp::kNotIn},
    {"starts-with", BinaryOp::kStartsWith},
    {"ends-with", BinaryOp::kEndsWith},
    {"like", BinaryOp::kRegexMatch},
    {"not-like", BinaryOp::kNotRegexMatch},
    {"bit-and", BinaryOp::kBitAnd},
    {"bit-or", BinaryOp::kBitOr},
    {"bit-xor", BinaryOp::kBitXor},
    {"bit-shl", BinaryOp::kShiftLeft},
    {"bit-shr", BinaryOp::kShiftRight},
    {"xor", BinaryOp::kXor},
};

// Nushell operators that this compiler does not support yet.
constexpr std::string_view kUnsupportedOperatorWords[] = {"has", "not-has"};

bool IsComparison(BinaryOp op) {
  return BinaryPrecedence(op) == BinaryPrecedence(BinaryOp::kEqual);
}

}  // namespace

std::optional<BinaryOp> BinaryOperatorAt(const Token& token) {
  for (const OperatorToken& entry : kOperatorTokens) {
    if (entry.token == token.kind) return entry.op;
  }
  if (token.kind != TokenKind::kWord || !token.space_before) {
    return std::nullopt;
  }
  for (const OperatorWord& entry : kOperatorWords) {
    if (entry.word == token.text) return entry.op;
  }
  return std::nullopt;
}

bool IsSymbolOperator(TokenKind kind) {
  for (const OperatorToken& entry : kOperatorTokens) {
    if (entry.token == kind) return true;
  }
  return false;
}

bool IsRangeOperator(TokenKind kind) {
  return kind == TokenKind::kDotDot || kind == TokenKind::kDotDotLess ||
         kind == TokenKind::kDotDotEqual;
}

// The ranks are those of Nushell's parser (`Expression::precedence` in
// nu-protocol, crates/nu-protocol/src/ast/expression.rs): `**` 100,
// `* / // mod` 95, `+ -` 90, `bit-shl bit-shr` 85, comparisons and
// `=~ !~ in not-in starts-with ends-with` 80, `bit-and` 75, `bit-xor` 70,
// `bit-or` 60, `and` 50, `xor` 45, `or` 40.
int BinaryPrecedence(BinaryOp op) {
  switch (op) {
    case BinaryOp::kPower:
      return 100;
    case BinaryOp::kMultiply:
    case BinaryOp::kDivide:
    case BinaryOp::kFloorDivide:
    case BinaryOp::kModulo:
      return 95;
    case BinaryOp::kAdd:
    case BinaryOp::kSubtract:
      return 90;
    case BinaryOp::kShiftLeft:
    case BinaryOp::kShiftRight:
      return 85;
    case BinaryOp::kEqual:
    case BinaryOp::kNotEqual:
    case BinaryOp::kLess:
    case BinaryOp::kLessEqual:
    case BinaryOp::kGreater:
    case BinaryOp::kGreaterEqual:
    case BinaryOp::kRegexMatch:
    case BinaryOp::kNotRegexMatch:
    case BinaryOp::kIn:
    case BinaryOp::kNotIn:
    case BinaryOp::kStartsWith:
    case BinaryOp::kEndsWith:
      return 80;
    case BinaryOp::kBitAnd:
      return 75;
    case BinaryOp::kBitXor:
      return 70;
    case BinaryOp::kBitOr:
      return 60;
    case BinaryOp::kAnd:
      return 50;
    case BinaryOp::kXor:
      return 45;
    case BinaryOp::kOr:
      return 40;
  }
  return 0;
}

ExprPtr Parser::ParseExpression() { return ParseBinary(/*min_precedence=*/0); }

// expression = value { OPERATOR value }
//
// Operators group by BinaryPrecedence, as in Nushell: `1 + 2 * 3 == 7 and
// $x` is `((1 + (2 * 3)) == 7) and $x`. All group to the left, as in
// `$a < $b < $c`, except `**`, which groups to the right as in nu-parser's
// `parse_math_expression`: `2 ** 3 ** 2` is `2 ** (3 ** 2)`. Nushell reads an
// operator only between spaces, and a newline ends the expression outside
// parentheses.
ExprPtr Parser::ParseBinary(int min_precedence) {
  const Token& first = Peek();
  ExprPtr lhs = ParseValue();
  if (!lhs) return nullptr;
  bool lhs_is_not = first.kind == TokenKind::kNot;

  for (int operators = 0;; ++operators) {
    const Token& op_token = Peek();
    std::optional<BinaryOp> op = BinaryOperatorAt(op_token);
    if (!op) {
      if (ReportUnsupportedOperator(op_token)) return nullptr;
      return lhs;
    }
    int precedence = BinaryPrecedence(*op);
    if (precedence < min_precedence) return lhs;
    if (operators == kMaxNesting) {
      Error(op_token.span,
            "expression has more than " + std::to_string(kMaxNesting) +
                " operators",
            "split the expression with `let`");
      return nullptr;
    }

    Advance();
    if (At(TokenKind::kNewline)) {
      ErrorExpected("a value after `" + op_token.text + "`", Peek(),
                    "to continue an expression on the next line, wrap it in "
                    "parentheses");
      return nullptr;
    }
    CheckOperatorSpacing(op_token, *lhs);
    // A right-associative `**` recurses once per operator, so the chain
    // counts against the nesting limit.
    ExprPtr rhs;
    if (*op == BinaryOp::kPower) {
      NestingScope nesting(*this);
      if (!nesting.ok()) return nullptr;
      rhs = ParseBinary(precedence);
    } else {
      rhs = ParseBinary(precedence + 1);
    }
    if (!rhs) return nullptr;

    // Since Nushell 0.90, `not` negates the one value after it, so
    // `not $a == 1` compares `not $a` with `1`. That is rarely what was
    // meant, so it gets a warning.
    if (lhs_is_not && IsComparison(*op)) {
      const auto& negated = static_cast<const UnaryExpr&>(*lhs);
      std::string operand = SourceText(negated.operand->span);
      std::string comparison =
          operand + " " + op_token.text + " " + SourceText(rhs->span);
      diagnostics_.Warning(
          lhs->span, "`not` negates only `" + operand + "`, not the comparison",
          "write `not (" + comparison +
              ")` to negate the comparison, or `(not " + operand + ") " +
              op_token.text + " " + SourceText(rhs->span) +
              "` to keep this meaning");
    }

    Span span{lhs->span.begin, rhs->span.end};
    lhs = std::make_unique<BinaryExpr>(span, *op, op_token.span, std::move(lhs),
                                       std::move(rhs));
    lhs_is_not = false;
  }
}

// Reports a Nushell operator that this compiler lacks or a probe cannot
// run, or a spelling from other languages, at `token`. Returns false for
// any other token.
bool Parser::ReportUnsupportedOperator(const Token& token) {
  if (token.kind == TokenKind::kWord && token.space_before &&
      ContainsWord(kUnsupportedOperatorWords, token.text)) {
    Error(token.span, "operator `" + token.text + "` is not supported yet",
          "test membership with `in`, as in `$value in $list`");
    return true;
  }
  if (token.kind != TokenKind::kUnsupportedOperator) return false;

  const std::string& text = token.text;
  if (text == "&&" || text == "||" || text == "!") {
    std::string nushell = "not";
    if (text == "&&") nushell = "and";
    if (text == "||") nushell = "or";
    Error(token.span, "`" + text + "` is not a Nushell operator",
          "write `" + nushell + "`");
    return true;
  }
  if (text == "++" || text == "++=") {
    ErrorNotInProbe(token.span, NotInProbe::kConcatenation, text);
    return true;
  }
  Error(token.span, "unexpected `" + text + "`");
  return true;
}

// Nushell reads `$e.pid==1` as one word, not as a comparison, so operators
// without spaces are reported with the spaced spelling.
void Parser::CheckOperatorSpacing(const Token& op, const Expr& lhs) {
  const Token& next = Peek();
  if (op.space_before && next.space_before) return;
  Error(op.span, "operator `" + op.text + "` needs a space on each side",
        "write `" + SourceText(lhs.span) + " " + op.text + " " +
            SourceText(next.span) + "`");
}

// Reports an operator after a command argument, record value or list
// element, where Nushell reads one value: `emit $a + 1` needs parentheses.
// `block_follows` is true where a `{` after the value starts a block, as in
// `for x in $a + 1 { }`.
bool Parser::ReportOperatorAfterValue(const Expr& value, std::string_view where,
                                      bool block_follows) {
  const Token& token = Peek();
  if (ReportUnsupportedOperator(token)) return true;
  if (!BinaryOperatorAt(token)) return false;

  // `emit $a -1` passes `-1` as a second argument.
  if (token.kind == TokenKind::kMinus && !Peek(1).space_before) return false;

  Error(
      token.span, "an operator in " + std::string(where) + " needs parentheses",
      "write `(" +
          SourceText({value.span.begin, EndOfValueList(block_follows)}) + ")`");
  return true;
}

// Returns where the arguments or record fields around the cursor end: the
// end of the last token before a newline, `;`, `|`, `,`, `=>`, a `}` or `)`
// that closes nothing opened on the way, or a `{` when `block_follows`.
uint32_t Parser::EndOfValueList(bool block_follows) const {
  uint32_t end = previous_end_;
  int depth = 0;
  for (size_t index = pos_; tokens_[index].kind != TokenKind::kEndOfFile;
       ++index) {
    TokenKind kind = tokens_[index].kind;
    bool opens = kind == TokenKind::kLeftParen ||
                 kind == TokenKind::kLeftBrace ||
                 kind == TokenKind::kLeftBracket;
    bool closes = kind == TokenKind::kRightParen ||
                  kind == TokenKind::kRightBrace ||
                  kind == TokenKind::kRightBracket;
    bool separates = kind == TokenKind::kNewline ||
                     kind == TokenKind::kSemicolon ||
                     kind == TokenKind::kPipe || kind == TokenKind::kComma ||
                     kind == TokenKind::kFatArrow;
    bool block = block_follows && kind == TokenKind::kLeftBrace;
    if (depth == 0 && (closes || separates || block)) break;
    if (opens) ++depth;
    if (closes) --depth;
    end = tokens_[index].span.end;
  }
  return end;
}

}  // namespace nubpf::frontend
