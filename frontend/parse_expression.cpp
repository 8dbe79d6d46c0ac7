// Expressions: operators by precedence, `not` and `-`, cell paths, literals,
// records and parenthesized subexpressions.
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
    {TokenKind::kEqualEqual, BinaryOp::kEqual},
    {TokenKind::kNotEqual, BinaryOp::kNotEqual},
    {TokenKind::kLess, BinaryOp::kLess},
    {TokenKind::kLessEqual, BinaryOp::kLessEqual},
    {TokenKind::kGreater, BinaryOp::kGreater},
    {TokenKind::kGreaterEqual, BinaryOp::kGreaterEqual},
    {TokenKind::kAnd, BinaryOp::kAnd},
    {TokenKind::kOr, BinaryOp::kOr},
};

std::optional<BinaryOp> BinaryOpFor(TokenKind kind) {
  for (const OperatorToken& entry : kOperatorTokens) {
    if (entry.token == kind) return entry.op;
  }
  return std::nullopt;
}

}  // namespace

bool IsBinaryOperator(TokenKind kind) { return BinaryOpFor(kind).has_value(); }

namespace {

bool IsComparison(BinaryOp op) {
  return BinaryPrecedence(op) == BinaryPrecedence(BinaryOp::kEqual);
}

// Nushell operators spelled as words that this subset does not support yet.
constexpr std::string_view kUnsupportedOperatorWords[] = {
    "mod",     "xor",    "in",       "not-in",      "has",
    "not-has", "like",   "not-like", "starts-with", "ends-with",
    "bit-and", "bit-or", "bit-xor",  "bit-shl",     "bit-shr",
};

}  // namespace

// The ranks are those of Nushell's parser (`Expression::precedence` in
// nu-protocol, crates/nu-protocol/src/ast/expression.rs): `*` 95, `+` and
// `-` 90, comparisons 80, `and` 50, `or` 40.
int BinaryPrecedence(BinaryOp op) {
  switch (op) {
    case BinaryOp::kMultiply:
      return 95;
    case BinaryOp::kAdd:
    case BinaryOp::kSubtract:
      return 90;
    case BinaryOp::kEqual:
    case BinaryOp::kNotEqual:
    case BinaryOp::kLess:
    case BinaryOp::kLessEqual:
    case BinaryOp::kGreater:
    case BinaryOp::kGreaterEqual:
      return 80;
    case BinaryOp::kAnd:
      return 50;
    case BinaryOp::kOr:
      return 40;
  }
  return 0;
}

ExprPtr Parser::ParseExpression() { return ParseBinary(/*min_precedence=*/0); }

// expression = value { OPERATOR value }
//
// Operators group by BinaryPrecedence and to the left, as in Nushell:
// `1 + 2 * 3 == 7 and $x` is `((1 + (2 * 3)) == 7) and $x`, and
// `$a < $b < $c` is `($a < $b) < $c`. Nushell reads an operator only between
// spaces, and a newline ends the expression outside parentheses.
ExprPtr Parser::ParseBinary(int min_precedence) {
  const Token& first = Peek();
  ExprPtr lhs = ParseValue();
  if (!lhs) return nullptr;
  bool lhs_is_not = first.kind == TokenKind::kNot;

  for (int operators = 0;; ++operators) {
    const Token& op_token = Peek();
    std::optional<BinaryOp> op = BinaryOpFor(op_token.kind);
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
    ExprPtr rhs = ParseBinary(precedence + 1);
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

// Reports a Nushell operator that this subset lacks, or a spelling from other
// languages, at `token`. Returns false when `token` is neither.
bool Parser::ReportUnsupportedOperator(const Token& token) {
  if (token.kind == TokenKind::kWord && token.space_before &&
      ContainsWord(kUnsupportedOperatorWords, token.text)) {
    Error(token.span, "operator `" + token.text + "` is not supported yet");
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
  // TODO: `/` and `mod` need BinaryOp kinds and a checker rule that the
  // divisor is a constant or bounded, because the verifier rejects others.
  if (text == "/" || text == "//" || text == "**" || text == "=~" ||
      text == "!~" || text == "++") {
    Error(token.span, "operator `" + text + "` is not supported yet");
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

// Reports an operator after a command argument or record value, where
// Nushell reads one value per argument: `emit $a + 1` needs parentheses.
bool Parser::ReportOperatorAfterValue(const Expr& value,
                                      std::string_view where) {
  const Token& token = Peek();
  if (ReportUnsupportedOperator(token)) return true;
  if (!BinaryOpFor(token.kind)) return false;

  // `emit $a -1` passes `-1` as a second argument.
  if (token.kind == TokenKind::kMinus && !Peek(1).space_before) return false;

  Error(token.span,
        "an operator in " + std::string(where) + " needs parentheses",
        "write `(" + SourceText({value.span.begin, EndOfValueList()}) + ")`");
  return true;
}

// Returns where the arguments or record fields around the cursor end: the
// end of the last token before a newline, `;`, `|`, `,`, or a `}` or `)`
// that closes nothing opened on the way.
uint32_t Parser::EndOfValueList() const {
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
                     kind == TokenKind::kPipe || kind == TokenKind::kComma;
    if (depth == 0 && (closes || separates)) break;
    if (opens) ++depth;
    if (closes) --depth;
    end = tokens_[index].span.end;
  }
  return end;
}

// word-or-value = WORD | value
//
// In command arguments and record values a bare word is a string, as in
// Nushell: `{format: json}` is `{format: "json"}`.
ExprPtr Parser::ParseWordOrValue() {
  if (!At(TokenKind::kWord)) return ParseValue();
  const Token& word = Advance();
  return std::make_unique<StringExpr>(word.span, word.text);
}

// value = "not" value | "-" value | postfix
//
// Both prefixes apply to the one value after them, as in Nushell: `not $a
// and $b` is `(not $a) and $b`. A `-` must touch its operand (`-1`, `-$x`).
ExprPtr Parser::ParseValue() {
  NestingScope nesting(*this);
  if (!nesting.ok()) return nullptr;

  const Token& token = Peek();
  if (token.kind == TokenKind::kNot) {
    Advance();
    ExprPtr operand = ParseValue();
    if (!operand) return nullptr;
    Span span{token.span.begin, operand->span.end};
    return std::make_unique<UnaryExpr>(span, UnaryOp::kNot, std::move(operand));
  }

  if (token.kind == TokenKind::kMinus) {
    if (Peek(1).space_before) {
      Error(token.span, "expected a value, found `-`",
            "write a negative number without a space, as in `-1`");
      return nullptr;
    }
    Advance();
    ExprPtr operand = ParseValue();
    if (!operand) return nullptr;
    Span span{token.span.begin, operand->span.end};
    return std::make_unique<UnaryExpr>(span, UnaryOp::kNegate,
                                       std::move(operand));
  }
  return ParsePostfix();
}

// postfix = primary { "." member }
// member = NAME | INT | STRING
//
// A cell path has no spaces: `$e.task.pid`, `$e."a key"`, `$list.0`.
ExprPtr Parser::ParsePostfix() {
  ExprPtr value = ParsePrimary();
  if (!value) return nullptr;

  for (int members = 0; At(TokenKind::kDot) && !Peek().space_before;
       ++members) {
    if (members == kMaxNesting) {
      Error(Peek().span, "cell path has more than " +
                             std::to_string(kMaxNesting) + " members");
      return nullptr;
    }
    Advance();
    const Token& member = Peek();
    bool is_member = IsNameToken(member.kind) ||
                     member.kind == TokenKind::kInt ||
                     member.kind == TokenKind::kString;
    if (!is_member || member.space_before) {
      std::string help;
      if (is_member) help = "a cell path has no spaces, as in `$e.pid`";
      ErrorExpected("a field name right after `.`", member, help);
      return nullptr;
    }
    if (value->kind == ExprKind::kInt && member.kind == TokenKind::kInt) {
      Error({value->span.begin, member.span.end},
            "floating-point number `" +
                SourceText({value->span.begin, member.span.end}) +
                "` is not supported",
            "BPF programs have no floating point; use integers, such as "
            "nanoseconds in place of seconds");
      return nullptr;
    }

    Advance();
    Span span{value->span.begin, member.span.end};
    value = std::make_unique<FieldExpr>(span, std::move(value), member.text,
                                        member.span);
  }
  return value;
}

// primary = INT | STRING | "true" | "false" | VARIABLE | subexpression
//         | record
ExprPtr Parser::ParsePrimary() {
  const Token& token = Peek();
  TokenKind kind = token.kind;
  if (kind == TokenKind::kInt) {
    Advance();
    return std::make_unique<IntExpr>(token.span, token.int_value);
  }
  if (kind == TokenKind::kString) {
    Advance();
    return std::make_unique<StringExpr>(token.span, token.text);
  }
  if (kind == TokenKind::kTrue || kind == TokenKind::kFalse) {
    Advance();
    return std::make_unique<BoolExpr>(token.span, kind == TokenKind::kTrue);
  }
  if (kind == TokenKind::kVariable) {
    Advance();
    return std::make_unique<VariableExpr>(token.span, token.text);
  }
  if (kind == TokenKind::kLeftParen) return ParseSubexpression();
  if (kind == TokenKind::kLeftBrace) return ParseRecord();

  // TODO: lists need a list node in the AST and a bound on their length that
  // BPF can keep on the stack or in a map.
  if (kind == TokenKind::kLeftBracket) {
    Error(token.span, "lists are not supported yet");
    return nullptr;
  }
  if (kind == TokenKind::kWord) {
    Error(token.span, "expected a value, found `" + token.text + "`",
          "to use a command's output as a value, wrap the command in "
          "parentheses, as in `(" +
              token.text + " ...)`. To write text, quote it");
    return nullptr;
  }
  if (ReportUnsupportedOperator(token)) return nullptr;
  ErrorExpected("a value", token);
  return nullptr;
}

// subexpression = "(" pipeline ")"
//
// Newlines inside parentheses are whitespace, as in Nushell, so a long
// expression or pipeline can span lines.
ExprPtr Parser::ParseSubexpression() {
  OpenScope open(*this, Open::kParen);
  NewlineScope newlines(*this, /*skip=*/true);
  const Token& paren = Advance();
  if (At(TokenKind::kRightParen)) {
    ErrorExpected("a value or a command inside `()`", Peek());
    return nullptr;
  }

  std::vector<PipelineElement> elements;
  if (!ParsePipelineElements(&elements)) return nullptr;
  if (!At(TokenKind::kRightParen)) {
    Diagnostic& error = ErrorExpected("`)`", Peek());
    AddOpenedHereLabel(error, paren, "to match this `(`");
    return nullptr;
  }
  const Token& close = Advance();
  return PipelineValue(std::move(elements), {paren.span.begin, close.span.end});
}

// record = "{" { key ":" word-or-value [ "," ] } "}"
// key = NAME | STRING | INT
//
// Fields are separated by commas, newlines or spaces, as in Nushell:
// `{pid: $e.pid comm: $e.comm}` is a record of two fields.
ExprPtr Parser::ParseRecord() {
  OpenScope open(*this, Open::kRecordBrace);
  NewlineScope newlines(*this, /*skip=*/true);
  const Token& brace = Advance();
  if (At(TokenKind::kPipe) ||
      (At(TokenKind::kUnsupportedOperator) && Peek().text == "||")) {
    Error(Peek().span, "closures are only supported as probe bodies");
    return nullptr;
  }

  auto record = std::make_unique<RecordExpr>(brace.span);
  while (!At(TokenKind::kRightBrace)) {
    const Token& key = Peek();
    bool is_key = IsNameToken(key.kind) || key.kind == TokenKind::kString ||
                  key.kind == TokenKind::kInt;
    if (!is_key) {
      std::string_view expected = key.kind == TokenKind::kEndOfFile
                                      ? "`}` to close the record"
                                      : "a record key, such as `pid:`, or `}`";
      Diagnostic& error = ErrorExpected(expected, key);
      AddOpenedHereLabel(error, brace, "the record starts here");
      return nullptr;
    }
    Advance();
    if (!At(TokenKind::kColon)) {
      ErrorExpected("`:` after the record key `" + key.text + "`", Peek());
      return nullptr;
    }
    Advance();

    ExprPtr value = ParseWordOrValue();
    if (!value) return nullptr;
    if (ReportOperatorAfterValue(*value, "a record value")) return nullptr;

    // Nushell rejects a key used twice, and so do we.
    for (const RecordField& field : record->fields) {
      if (field.name != key.text) continue;
      Diagnostic& error =
          Error(key.span, "record key `" + key.text + "` is used twice");
      error.labels.push_back({field.name_span, "first used here"});
      break;
    }
    record->fields.push_back({key.text, key.span, std::move(value)});
    if (At(TokenKind::kComma)) Advance();
  }
  record->span.end = Advance().span.end;
  return record;
}

}  // namespace nubpf::frontend
