// Blocks and statements: `let`, `mut` and `const`, assignments, loops,
// `break`, `continue`, `return` and pipelines.
#include <string_view>

#include "frontend/parser_internal.h"

namespace nubpf::frontend {
namespace {

struct AssignToken {
  TokenKind token;
  AssignOp op;
};

constexpr AssignToken kAssignTokens[] = {
    {TokenKind::kAssign, AssignOp::kSet},
    {TokenKind::kPlusAssign, AssignOp::kAdd},
    {TokenKind::kMinusAssign, AssignOp::kSubtract},
    {TokenKind::kStarAssign, AssignOp::kMultiply},
    {TokenKind::kSlashAssign, AssignOp::kDivide},
};

bool IsAssignToken(const Token& token) {
  if (token.kind == TokenKind::kUnsupportedOperator) return token.text == "++=";
  for (const AssignToken& entry : kAssignTokens) {
    if (entry.token == token.kind) return true;
  }
  return false;
}

const char* LetKeyword(LetKind kind) {
  switch (kind) {
    case LetKind::kLet:
      return "let";
    case LetKind::kMut:
      return "mut";
    case LetKind::kConst:
      return "const";
  }
  return "let";
}

}  // namespace

// block = "{" statements "}"
//
// A `{` on the next line is an error, as in Nushell, but the block is still
// read so that its statements are checked and not misread as a record.
bool Parser::ParseBlock(Block* block, std::string_view owner) {
  if (!At(TokenKind::kLeftBrace)) {
    bool on_next_line = At(TokenKind::kNewline);
    std::string help;
    if (on_next_line) help = "put the `{` on the same line";
    ErrorExpected("`{` to start " + std::string(owner), Peek(), help);
    if (!on_next_line) return false;

    size_t index = IndexAhead(0);
    while (tokens_[index].kind == TokenKind::kNewline) ++index;
    if (tokens_[index].kind != TokenKind::kLeftBrace) return false;
    pos_ = index;
  }
  NestingScope nesting(*this);
  if (!nesting.ok()) return false;

  NewlineScope newlines(*this, /*skip=*/false);
  OpenScope open(*this, Open::kBlockBrace);
  const Token& brace = Advance();
  block->span = brace.span;
  return ParseStatements(block, brace, owner);
}

// statements = { separator } [ statement { separator { separator }
//              statement } ] { separator } "}"
//
// Returns false when the closing `}` is missing: the end of the file or the
// next probe came first.
bool Parser::ParseStatements(Block* block, const Token& open,
                             std::string_view owner) {
  while (true) {
    while (At(TokenKind::kNewline) || At(TokenKind::kSemicolon)) Advance();
    if (At(TokenKind::kRightBrace)) {
      block->span.end = Advance().span.end;
      return true;
    }
    if (At(TokenKind::kEndOfFile) || IsProbeStart(IndexAhead(0))) {
      Diagnostic& error =
          ErrorExpected("`}` to close " + std::string(owner), Peek());
      AddOpenedHereLabel(error, open, std::string(owner) + " starts here");
      block->span.end = previous_end_;
      return false;
    }

    // A statement that fails, or ends without a separator, is skipped to
    // its end. Each pass of the loop consumes a token or stops.
    size_t open_depth = open_.size();
    size_t start = pos_;
    StmtPtr statement = ParseStatement();
    if (statement) {
      block->statements.push_back(std::move(statement));
      if (AtStatementEnd()) continue;
      ErrorExpected("a newline or `;` after the statement", Peek());
    }
    SkipStatement(open_depth);
    if (pos_ == start && !AtStatementEnd() && !IsProbeStart(pos_)) Advance();
  }
}

// statement = let | assignment | for | while | loop | "break" | "continue"
//           | return | pipeline
//
// `if` and `match` statements are pipelines whose first element is the
// IfExpr or MatchExpr (ParseFirstElement).
StmtPtr Parser::ParseStatement() {
  const Token& token = Peek();
  if (token.kind == TokenKind::kLet) return ParseLet(LetKind::kLet);
  if (token.kind == TokenKind::kElse) {
    Error(token.span,
          "`else` must be on the same line as the `}` that ends the `if` "
          "block",
          "write `} else {`");
    return nullptr;
  }
  if (token.kind == TokenKind::kVariable && AtAssignment()) {
    return ParseAssign();
  }
  if (token.kind != TokenKind::kWord) return ParsePipelineStatement();

  const std::string& word = token.text;
  if (word == "mut") return ParseLet(LetKind::kMut);
  if (word == "const") return ParseLet(LetKind::kConst);
  if (word == "for") return ParseFor();
  if (word == "while") return ParseWhile();
  if (word == "loop") return ParseLoop();
  if (word == "return") return ParseReturn();
  if (word == "break" || word == "continue") {
    Advance();
    StmtKind kind = word == "break" ? StmtKind::kBreak : StmtKind::kContinue;
    return std::make_unique<JumpStmt>(kind, token.span);
  }
  if (word == "def" || word == "use") {
    Error(token.span, "`" + word + "` inside a block is not supported yet",
          "move it to the top level of the file");
    return nullptr;
  }
  return ParsePipelineStatement();
}

// let = ( "let" | "mut" | "const" ) NAME [ ":" TYPE ] "=" pipeline
std::unique_ptr<LetStmt> Parser::ParseLet(LetKind kind) {
  const Token& keyword = Advance();
  std::string spelling = LetKeyword(kind);
  const Token& name = Peek();
  if (name.kind == TokenKind::kVariable) {
    Error(name.span,
          "the variable name in `" + spelling + "` is written without `$`",
          "write `" + spelling + " " + name.text + " = ...`, then use `$" +
              name.text + "`");
  } else if (name.kind != TokenKind::kWord) {
    ErrorExpected("a variable name after `" + spelling + "`", name);
    return nullptr;
  }
  Advance();
  if (name.text.find('-') != std::string::npos) {
    Error(name.span, "variable names cannot contain `-`",
          "use `_`, as in `min_bytes`");
  }

  std::string type_name;
  Span type_span;
  if (At(TokenKind::kColon)) {
    Advance();
    if (!ParseTypeName(&type_name, &type_span)) return nullptr;
  }
  if (!At(TokenKind::kAssign)) {
    ErrorExpected("`=` after the variable name", Peek());
    return nullptr;
  }
  Advance();

  uint32_t value_begin = Peek().span.begin;
  std::vector<PipelineElement> elements;
  if (!ParsePipelineElements(&elements)) return nullptr;
  ExprPtr value =
      PipelineValue(std::move(elements), {value_begin, previous_end_});
  auto let = std::make_unique<LetStmt>(Span{keyword.span.begin, previous_end_},
                                       name.text, name.span, std::move(value));
  let->kind = kind;
  let->type_name = std::move(type_name);
  let->type_span = type_span;
  return let;
}

// type = NAME [ "<" ... ">" ]
//
// The type is kept as written, such as `int` or `list<int>`; the checker
// reads it.
bool Parser::ParseTypeName(std::string* name, Span* span) {
  const Token& first = Peek();
  if (!IsNameToken(first.kind)) {
    ErrorExpected("a type after `:`, such as `int` or `string`", first);
    return false;
  }
  Advance();
  if (At(TokenKind::kLess) && !Peek().space_before) {
    const Token& open = Advance();
    int depth = 1;
    while (depth > 0) {
      TokenKind kind = Peek().kind;
      if (kind == TokenKind::kEndOfFile || kind == TokenKind::kNewline ||
          kind == TokenKind::kAssign || kind == TokenKind::kLeftBrace) {
        Diagnostic& error = ErrorExpected("`>` to close the type", Peek());
        AddOpenedHereLabel(error, open, "the type's `<` is here");
        return false;
      }
      if (kind == TokenKind::kLess) ++depth;
      if (kind == TokenKind::kGreater) --depth;
      Advance();
    }
  }
  *span = {first.span.begin, previous_end_};
  *name = std::string(file_.Slice(*span));
  return true;
}

// True at `$name = ...`, `$name += ...` and the like, or at an assignment to
// a cell path such as `$r.a = 1`.
bool Parser::AtAssignment() const {
  size_t index = IndexAhead(1);
  while (tokens_[index].kind == TokenKind::kDot &&
         !tokens_[index].space_before &&
         tokens_[index + 1].kind != TokenKind::kEndOfFile) {
    index += 2;
  }
  return IsAssignToken(tokens_[index]);
}

// assignment = VARIABLE ( "=" | "+=" | "-=" | "*=" | "/=" ) pipeline
StmtPtr Parser::ParseAssign() {
  const Token& name = Advance();
  if (name.text == "env") {
    ErrorNotInProbe(name.span, NotInProbe::kEnvironment);
    return nullptr;
  }
  if (At(TokenKind::kDot)) {
    Error(Peek().span, "assigning to a cell path is not supported yet",
          "assign the whole value, as in `$" + name.text + " = ...`");
    return nullptr;
  }

  const Token& op_token = Peek();
  if (op_token.kind == TokenKind::kUnsupportedOperator) {
    ErrorNotInProbe(op_token.span, NotInProbe::kConcatenation, op_token.text);
    return nullptr;
  }
  AssignOp op = AssignOp::kSet;
  for (const AssignToken& entry : kAssignTokens) {
    if (entry.token == op_token.kind) op = entry.op;
  }
  Advance();
  if (AtStatementEnd()) {
    ErrorExpected("a value after `" + op_token.text + "`", Peek());
    return nullptr;
  }
  VariableExpr target(name.span, name.text);
  CheckOperatorSpacing(op_token, target);

  uint32_t value_begin = Peek().span.begin;
  std::vector<PipelineElement> elements;
  if (!ParsePipelineElements(&elements)) return nullptr;
  ExprPtr value =
      PipelineValue(std::move(elements), {value_begin, previous_end_});
  return std::make_unique<AssignStmt>(Span{name.span.begin, previous_end_},
                                      name.text, name.span, op, op_token.span,
                                      std::move(value));
}

// for = "for" NAME "in" value block
StmtPtr Parser::ParseFor() {
  const Token& keyword = Advance();
  const Token& variable = Peek();
  if (variable.kind == TokenKind::kVariable) {
    Error(variable.span, "the loop variable in `for` is written without `$`",
          "write `for " + variable.text + " in ...`, then use `$" +
              variable.text + "`");
  } else if (variable.kind != TokenKind::kWord) {
    ErrorExpected("a loop variable after `for`", variable);
    return nullptr;
  }
  Advance();
  if (!AtWord("in")) {
    ErrorExpected("`in` after the loop variable", Peek());
    return nullptr;
  }
  Advance();

  ExprPtr iterable = ParseValue();
  if (!iterable) return nullptr;
  if (ReportOperatorAfterValue(*iterable, "the list of a `for` loop",
                               /*block_follows=*/true)) {
    return nullptr;
  }
  Block body;
  if (!ParseBlock(&body, "the `for` body")) return nullptr;
  return std::make_unique<ForStmt>(Span{keyword.span.begin, previous_end_},
                                   variable.text, variable.span,
                                   std::move(iterable), std::move(body));
}

// while = "while" expression block
StmtPtr Parser::ParseWhile() {
  const Token& keyword = Advance();
  ExprPtr condition = ParseCondition();
  if (!condition) return nullptr;
  Block body;
  if (!ParseBlock(&body, "the `while` body")) return nullptr;
  return std::make_unique<WhileStmt>(Span{keyword.span.begin, previous_end_},
                                     std::move(condition), std::move(body));
}

// loop = "loop" block
StmtPtr Parser::ParseLoop() {
  const Token& keyword = Advance();
  Block body;
  if (!ParseBlock(&body, "the `loop` body")) return nullptr;
  return std::make_unique<LoopStmt>(Span{keyword.span.begin, previous_end_},
                                    std::move(body));
}

// return = "return" [ word-or-value ]
StmtPtr Parser::ParseReturn() {
  const Token& keyword = Advance();
  ExprPtr value;
  if (!AtStatementEnd() && !At(TokenKind::kPipe)) {
    value = ParseWordOrValue();
    if (!value) return nullptr;
    if (ReportOperatorAfterValue(*value, "a `return` value")) return nullptr;
  }
  return std::make_unique<ReturnStmt>(Span{keyword.span.begin, previous_end_},
                                      std::move(value));
}

StmtPtr Parser::ParsePipelineStatement() {
  uint32_t begin = Peek().span.begin;
  std::vector<PipelineElement> elements;
  if (!ParsePipelineElements(&elements)) return nullptr;
  auto statement = std::make_unique<PipelineStmt>(Span{begin, previous_end_});
  statement->elements = std::move(elements);
  return statement;
}

}  // namespace nubpf::frontend
