// `if` and `match`, which are values in Nushell: a statement, the value of a
// `let`, or an element of a pipeline.
#include "frontend/parser_internal.h"

namespace nubpf::frontend {

// condition = expression
//
// `if $x = 1` is reported with the `==` spelling, because `=` never
// compares in Nushell.
ExprPtr Parser::ParseCondition() {
  ExprPtr condition = ParseExpression();
  if (!condition) return nullptr;
  if (!At(TokenKind::kAssign)) return condition;

  const Token& rhs = Peek(1);
  std::string rhs_text =
      rhs.kind == TokenKind::kLeftBrace ? "..." : SourceText(rhs.span);
  Error(Peek().span, "`=` is not a comparison",
        "write `==` to compare values: `" + SourceText(condition->span) +
            " == " + rhs_text + "`");
  return nullptr;
}

// if = "if" condition block [ "else" ( if | block ) ]
ExprPtr Parser::ParseIf() {
  const Token& keyword = Advance();
  ExprPtr condition = ParseCondition();
  if (!condition) return nullptr;

  Block then_block;
  if (!ParseBlock(&then_block, "the `if` block")) return nullptr;
  auto if_expr =
      std::make_unique<IfExpr>(Span{keyword.span.begin, previous_end_},
                               std::move(condition), std::move(then_block));
  if (!At(TokenKind::kElse)) return if_expr;

  // An `else if` becomes an else block whose one statement is the nested
  // `if`, so that later stages see only two shapes.
  Advance();
  auto else_block = std::make_unique<Block>();
  if (At(TokenKind::kIf)) {
    NestingScope nesting(*this);
    if (!nesting.ok()) return nullptr;
    ExprPtr nested = ParseIf();
    if (!nested) return nullptr;
    Span span = nested->span;
    auto statement = std::make_unique<PipelineStmt>(span);
    statement->elements.push_back({std::move(nested), nullptr, span});
    else_block->span = span;
    else_block->statements.push_back(std::move(statement));
  } else if (!ParseBlock(else_block.get(), "the `else` block")) {
    return nullptr;
  }
  if_expr->else_block = std::move(else_block);
  if_expr->span.end = previous_end_;
  return if_expr;
}

// match = "match" value "{" { arm [ "," ] } "}"
//
// Newlines and commas between arms are optional separators, and comments
// may go anywhere, as in Nushell.
ExprPtr Parser::ParseMatch() {
  const Token& keyword = Advance();
  ExprPtr subject = ParseValue();
  if (!subject) return nullptr;
  if (ReportOperatorAfterValue(*subject, "the value of a `match`",
                               /*block_follows=*/true)) {
    return nullptr;
  }
  if (!At(TokenKind::kLeftBrace)) {
    ErrorExpected("`{` to start the match arms", Peek());
    return nullptr;
  }
  NestingScope nesting(*this);
  if (!nesting.ok()) return nullptr;

  OpenScope open(*this, Open::kRecordBrace);
  NewlineScope newlines(*this, /*skip=*/true);
  const Token& brace = Advance();
  auto match = std::make_unique<MatchExpr>(
      Span{keyword.span.begin, brace.span.end}, std::move(subject));
  while (true) {
    while (At(TokenKind::kComma)) Advance();
    if (At(TokenKind::kRightBrace)) break;
    if (At(TokenKind::kEndOfFile) || IsProbeStart(IndexAhead(0))) {
      Diagnostic& error = ErrorExpected("`}` to close the match arms", Peek());
      AddOpenedHereLabel(error, brace, "the match arms start here");
      return nullptr;
    }
    if (!ParseMatchArm(match.get())) return nullptr;
  }
  match->span.end = Advance().span.end;
  return match;
}

// arm = pattern { "|" pattern } [ "if" expression ] "=>" arm-body
bool Parser::ParseMatchArm(MatchExpr* match) {
  MatchArm arm;
  uint32_t begin = Peek().span.begin;
  if (!ParsePattern(&arm.pattern)) return false;

  if (At(TokenKind::kPipe)) {
    Pattern alternatives;
    alternatives.kind = PatternKind::kAlternatives;
    alternatives.alternatives.push_back(std::move(arm.pattern));
    while (At(TokenKind::kPipe)) {
      Advance();
      Pattern next;
      if (!ParsePattern(&next)) return false;
      alternatives.alternatives.push_back(std::move(next));
    }
    alternatives.span = {begin, previous_end_};
    arm.pattern = std::move(alternatives);
  }

  if (At(TokenKind::kIf)) {
    Advance();
    arm.guard = ParseExpression();
    if (!arm.guard) return false;
  }
  if (!At(TokenKind::kFatArrow)) {
    std::string help;
    if (At(TokenKind::kColon) || At(TokenKind::kAssign)) {
      help = "a match arm is written `PATTERN => VALUE`";
    }
    ErrorExpected("`=>` after the match pattern", Peek(), help);
    return false;
  }
  Advance();
  if (!ParseArmBody(&arm)) return false;
  arm.span = {begin, previous_end_};
  match->arms.push_back(std::move(arm));
  return true;
}

// pattern = "_" | VARIABLE | word-or-value
//
// A value pattern is a literal or a range; the checker makes sure it is
// constant.
bool Parser::ParsePattern(Pattern* pattern) {
  const Token& token = Peek();
  pattern->span = token.span;
  if (token.kind == TokenKind::kWord && token.text == "_") {
    Advance();
    pattern->kind = PatternKind::kWildcard;
    return true;
  }
  const Token& next = Peek(1);
  bool starts_range = IsRangeOperator(next.kind) && !next.space_before;
  if (token.kind == TokenKind::kVariable && !starts_range) {
    Advance();
    pattern->kind = PatternKind::kBinding;
    pattern->name = token.text;
    return true;
  }
  if (token.kind == TokenKind::kLeftBracket ||
      token.kind == TokenKind::kLeftBrace) {
    Error(
        token.span,
        std::string(token.kind == TokenKind::kLeftBracket ? "list" : "record") +
            " patterns are not supported yet",
        "match on one value, such as a field: `match $e.pid { ... }`");
    return false;
  }

  pattern->value = ParseWordOrValue();
  if (!pattern->value) return false;
  pattern->kind = pattern->value->kind == ExprKind::kRange
                      ? PatternKind::kRange
                      : PatternKind::kLiteral;
  pattern->span = pattern->value->span;
  return true;
}

// True at `{` followed by a record key and `:`, or `{}`: a record value
// rather than a block.
bool Parser::AtRecordStart() const {
  const Token& key = Peek(1);
  bool is_key = IsNameToken(key.kind) || key.kind == TokenKind::kString ||
                key.kind == TokenKind::kInt;
  return is_key && Peek(2).kind == TokenKind::kColon;
}

// arm-body = block | NAME | value
//
// As in Nushell, the body is one block or one value. A bare word is a
// command without arguments, so anything longer needs a block, as in
// `1 => { emit {a: 1} }`.
bool Parser::ParseArmBody(MatchArm* arm) {
  if (At(TokenKind::kLeftBrace) && !AtRecordStart()) {
    return ParseBlock(&arm->body, "the match arm");
  }

  PipelineElement element;
  element.span.begin = Peek().span.begin;
  if (At(TokenKind::kWord)) {
    const Token& name = Advance();
    auto call = std::make_unique<CommandCall>();
    call->name = name.text;
    call->name_span = name.span;
    call->span = name.span;
    element.command = std::move(call);
  } else {
    element.expr = ParseValue();
    if (!element.expr) return false;
    if (ReportOperatorAfterValue(*element.expr, "a match arm value")) {
      return false;
    }
  }
  element.span.end = previous_end_;

  arm->body.span = element.span;
  auto statement = std::make_unique<PipelineStmt>(element.span);
  statement->elements.push_back(std::move(element));
  arm->body.statements.push_back(std::move(statement));
  return true;
}

}  // namespace nubpf::frontend
