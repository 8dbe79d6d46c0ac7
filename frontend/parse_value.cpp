// Values: literals, variables, `not` and `-`, cell paths, ranges, records,
// lists, interpolated strings and parenthesized subexpressions.
#include <string_view>

#include "frontend/parser_internal.h"

namespace nubpf::frontend {

// word-or-value = WORD | value
//
// In command arguments, record values and list elements a bare word is a
// string, as in Nushell: `{format: json}` is `{format: "json"}`.
ExprPtr Parser::ParseWordOrValue() {
  if (!At(TokenKind::kWord)) return ParseValue();
  const Token& word = Advance();
  Span span = word.span;
  std::string text = word.text;

  // A bare word runs on through `.` and `?`, as Nushell reads `get a.b?.0`:
  // one word, whose command splits it into cell path members.
  while (!Peek().space_before &&
         (At(TokenKind::kDot) || At(TokenKind::kQuestion) ||
          At(TokenKind::kWord) || At(TokenKind::kInt))) {
    const Token& part = Advance();
    text += part.text;
    span.end = part.span.end;
  }
  return std::make_unique<StringExpr>(span, text);
}

// value = unary [ range ]
//
// A range is one value without spaces, as in Nushell: `1..5`, `$a..<$b`.
ExprPtr Parser::ParseValue() {
  if (IsRangeOperator(Peek().kind)) {
    Error(Peek().span, "a range without a start is not supported yet",
          "write the start, as in `0" + Peek().text + "5`");
    return nullptr;
  }
  ExprPtr start = ParseUnaryValue();
  if (!start) return nullptr;
  if (!IsRangeOperator(Peek().kind)) return start;
  if (Peek().space_before) {
    Error(Peek().span, "a range is written without spaces",
          "write it as one word, as in `1..5`");
    return nullptr;
  }
  return ParseRange(std::move(start));
}

// True when a range bound follows the range operator at the cursor - 1:
// touching it, and a value that a bound can be.
bool Parser::AtRangeBound() const {
  const Token& token = Peek();
  if (token.space_before) return false;
  switch (token.kind) {
    case TokenKind::kInt:
    case TokenKind::kFloat:
    case TokenKind::kVariable:
    case TokenKind::kLeftParen:
      return true;
    case TokenKind::kMinus:
      return !Peek(1).space_before;
    default:
      return false;
  }
}

// range = start ".." [ next ( ".." | "..<" | "..=" ) ] [ end ]
//       | start ( "..<" | "..=" ) end
//
// `1..5` and `1..=5` include 5, `1..<5` does not, and `1..3..9` counts
// 1, 3, 5, 7, 9. Without an end, `1..` runs on.
ExprPtr Parser::ParseRange(ExprPtr start) {
  auto range = std::make_unique<RangeExpr>(start->span);
  range->start = std::move(start);
  const Token& first_op = Advance();

  ExprPtr second;
  if (AtRangeBound()) {
    second = ParseUnaryValue();
    if (!second) return nullptr;
  }

  if (IsRangeOperator(Peek().kind) && !Peek().space_before) {
    if (first_op.kind != TokenKind::kDotDot) {
      Error(first_op.span,
            "`" + first_op.text + "` must be the last operator of a range",
            "write the step first, as in `1..3" + first_op.text + "9`");
      return nullptr;
    }
    if (!second) {
      ErrorExpected("the range's second value after `..`", Peek(),
                    "a range with a step is written `1..3..9`");
      return nullptr;
    }
    range->next = std::move(second);
    const Token& op = Advance();
    range->inclusive = op.kind != TokenKind::kDotDotLess;
    if (AtRangeBound()) {
      range->end = ParseUnaryValue();
      if (!range->end) return nullptr;
    } else if (op.kind != TokenKind::kDotDot) {
      ErrorExpected("the end of the range after `" + op.text + "`", Peek());
      return nullptr;
    }
  } else {
    range->inclusive = first_op.kind != TokenKind::kDotDotLess;
    range->end = std::move(second);
    if (!range->end && first_op.kind != TokenKind::kDotDot) {
      ErrorExpected("the end of the range after `" + first_op.text + "`",
                    Peek());
      return nullptr;
    }
  }
  range->span.end = previous_end_;
  return range;
}

// unary = "not" unary | "-" unary | postfix
//
// Both prefixes apply to the one value after them, as in Nushell: `not $a
// and $b` is `(not $a) and $b`. A `-` must touch the number it negates
// (`-1`).
ExprPtr Parser::ParseUnaryValue() {
  NestingScope nesting(*this);
  if (!nesting.ok()) return nullptr;

  const Token& token = Peek();
  if (token.kind == TokenKind::kNot) {
    Advance();
    ExprPtr operand = ParseUnaryValue();
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
    bool is_number = At(TokenKind::kInt);
    ExprPtr operand = ParseUnaryValue();
    if (!operand) return nullptr;
    Span span{token.span.begin, operand->span.end};
    if (!is_number) {
      // Only a number after `-` makes a negative value. Nushell reads
      // `-$x` and `-(1 + 2)` as bare words, the strings "-$x" and "-(1 + 2)".
      // The span runs to the last token read, so a `)` is part of it.
      Span written{token.span.begin, previous_end_};
      Span operand_text{token.span.end, previous_end_};
      Error(written,
            "Nushell reads `" + SourceText(written) + "` as a string, not as a negation",
            "write `0 - " + SourceText(operand_text) + "`");
      return nullptr;
    }
    return std::make_unique<UnaryExpr>(span, UnaryOp::kNegate,
                                       std::move(operand));
  }
  return ParsePostfix();
}

// postfix = primary { "." member [ "?" ] }
// member = NAME | INT | STRING
//
// A cell path has no spaces: `$e.task.pid`, `$e."a key"`, `$list.0`,
// `$r.a?`.
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

    Advance();
    Span span{value->span.begin, member.span.end};
    auto field = std::make_unique<FieldExpr>(span, std::move(value),
                                             member.text, member.span);
    if (member.kind == TokenKind::kInt) field->index = member.int_value;
    if (At(TokenKind::kQuestion) && !Peek().space_before) {
      field->optional = true;
      field->span.end = Advance().span.end;
    }
    value = std::move(field);
  }
  return value;
}

// primary = INT | FLOAT | STRING | "true" | "false" | "null" | VARIABLE
//         | interpolation | subexpression | record | list
ExprPtr Parser::ParsePrimary() {
  const Token& token = Peek();
  switch (token.kind) {
    case TokenKind::kInt:
      Advance();
      return std::make_unique<IntExpr>(token.span, token.int_value, token.unit);
    case TokenKind::kFloat:
      ErrorNotInProbe(token.span, NotInProbe::kFloat);
      return nullptr;
    case TokenKind::kString:
      Advance();
      return std::make_unique<StringExpr>(token.span, token.text);
    case TokenKind::kTrue:
    case TokenKind::kFalse:
      Advance();
      return std::make_unique<BoolExpr>(token.span,
                                        token.kind == TokenKind::kTrue);
    case TokenKind::kNull:
      Advance();
      return std::make_unique<NullExpr>(token.span);
    case TokenKind::kVariable:
      if (token.text == "env") {
        ErrorNotInProbe(token.span, NotInProbe::kEnvironment);
        return nullptr;
      }
      Advance();
      return std::make_unique<VariableExpr>(token.span, token.text);
    case TokenKind::kInterpolationStart:
      return ParseInterpolation();
    case TokenKind::kLeftParen:
      return ParseSubexpression();
    case TokenKind::kLeftBrace:
      return ParseRecord();
    case TokenKind::kLeftBracket:
      return ParseList();
    case TokenKind::kCaret:
      ReportExternalCommand();
      return nullptr;
    case TokenKind::kWord:
      Error(token.span, "expected a value, found `" + token.text + "`",
            "to use a command's output as a value, wrap the command in "
            "parentheses, as in `(" +
                token.text + " ...)`. To write text, quote it");
      return nullptr;
    case TokenKind::kIf:
      Error(token.span, "expected a value, found `if`",
            "wrap the `if` in parentheses, as in `(if ... { 1 } else { 2 })`");
      return nullptr;
    default:
      break;
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
    ErrorNotInProbe({brace.span.begin, Peek().span.end},
                    NotInProbe::kClosureValue);
    return nullptr;
  }

  auto record = std::make_unique<RecordExpr>(brace.span);
  while (!At(TokenKind::kRightBrace)) {
    const Token& key = Peek();
    if (key.kind == TokenKind::kSpread) {
      Error(key.span, "spreading a record with `...` is not supported yet",
            "write each field");
      return nullptr;
    }
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

// list = "[" { word-or-value [ "," ] } "]"
//
// Elements are separated by commas, newlines or spaces: `[1 2 3]` and
// `[1, 2, 3]` are the same list.
ExprPtr Parser::ParseList() {
  OpenScope open(*this, Open::kBracket);
  NewlineScope newlines(*this, /*skip=*/true);
  const Token& bracket = Advance();

  auto list = std::make_unique<ListExpr>(bracket.span);
  while (!At(TokenKind::kRightBracket)) {
    if (At(TokenKind::kComma)) {
      Advance();
      continue;
    }
    if (At(TokenKind::kEndOfFile)) {
      Diagnostic& error = ErrorExpected("`]` to close the list", Peek());
      AddOpenedHereLabel(error, bracket, "the list starts here");
      return nullptr;
    }
    if (At(TokenKind::kSemicolon)) {
      Error(Peek().span,
            "table literals `[[a b]; [1 2]]` are not supported yet",
            "write a list of records, as in `[{a: 1, b: 2}]`");
      return nullptr;
    }
    if (At(TokenKind::kSpread)) {
      Error(Peek().span, "spreading a list with `...` is not supported yet",
            "write each element");
      return nullptr;
    }

    ExprPtr element = ParseWordOrValue();
    if (!element) return nullptr;
    if (ReportOperatorAfterValue(*element, "a list element")) return nullptr;
    list->elements.push_back(std::move(element));
  }
  list->span.end = Advance().span.end;
  return list;
}

// interpolation = INTERPOLATION-START { TEXT | subexpression }
//                 INTERPOLATION-END
ExprPtr Parser::ParseInterpolation() {
  const Token& start = Advance();
  auto interpolation = std::make_unique<InterpolationExpr>(start.span);
  while (true) {
    const Token& token = Peek();
    if (token.kind == TokenKind::kInterpolationText) {
      Advance();
      interpolation->parts.push_back({token.text, nullptr, token.span});
      continue;
    }
    if (token.kind == TokenKind::kLeftParen) {
      ExprPtr expr = ParseSubexpression();
      if (!expr) return nullptr;
      interpolation->parts.push_back(
          {"", std::move(expr), {token.span.begin, previous_end_}});
      continue;
    }
    if (token.kind == TokenKind::kInterpolationEnd) {
      interpolation->span.end = Advance().span.end;
      return interpolation;
    }
    // The lexer puts nothing else between the start and the end, so only
    // the end of the file can come here.
    ErrorExpected("the end of the interpolated string", token);
    return nullptr;
  }
}

}  // namespace nubpf::frontend
