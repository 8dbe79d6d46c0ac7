// The token cursor, error recovery, probes, blocks and statements. Pipelines
// and commands are in parse_command.cpp, expressions in parse_expression.cpp.
#include "frontend/parser.h"

#include <string_view>

#include "frontend/parser_internal.h"

namespace nubpf::frontend {
namespace {

// Nushell keywords that start a statement which this subset cannot read yet.
// Without this list `for x in ...` would parse as a call of a command `for`.
// TODO: `match` should parse into a match statement over literal patterns;
// the AST has no node for it yet.
constexpr std::string_view kUnsupportedStatementKeywords[] = {
    "match", "mut",    "const", "for",      "while", "loop",
    "def",   "return", "break", "continue", "try",
};

size_t CountErrors(const DiagnosticSink& diagnostics) {
  size_t count = 0;
  for (const Diagnostic& diagnostic : diagnostics.diagnostics()) {
    if (diagnostic.severity == Severity::kError) ++count;
  }
  return count;
}

// True when the closer `kind` ends the delimiter `open`.
bool Closes(TokenKind kind, Parser::Open open) {
  switch (open) {
    case Parser::Open::kParen:
      return kind == TokenKind::kRightParen;
    case Parser::Open::kBracket:
      return kind == TokenKind::kRightBracket;
    case Parser::Open::kRecordBrace:
    case Parser::Open::kBlockBrace:
      return kind == TokenKind::kRightBrace;
  }
  return false;
}

}  // namespace

Parser::Parser(const SourceFile& file, DiagnosticSink& diagnostics)
    : file_(file), diagnostics_(diagnostics), tokens_(Lex(file, diagnostics)) {}

Parser::NestingScope::NestingScope(Parser& parser) : parser_(parser) {
  ++parser_.nesting_;
  ok_ = parser_.nesting_ <= kMaxNesting;
  if (ok_ || parser_.reported_nesting_) return;

  parser_.reported_nesting_ = true;
  parser_.Error(
      parser_.Peek().span,
      "nesting is deeper than " + std::to_string(kMaxNesting) + " levels");
}

// ---------------------------------------------------------------------------
// Token cursor

// Returns the index of the token `ahead` tokens from the cursor, passing over
// newlines where they are whitespace. It never goes past the end of the file.
size_t Parser::IndexAhead(size_t ahead) const {
  size_t index = pos_;
  while (true) {
    while (skip_newlines_ && tokens_[index].kind == TokenKind::kNewline) {
      ++index;
    }
    if (ahead == 0 || tokens_[index].kind == TokenKind::kEndOfFile) {
      return index;
    }
    ++index;
    --ahead;
  }
}

const Token& Parser::Advance() {
  size_t index = IndexAhead(0);
  const Token& token = tokens_[index];
  if (token.kind == TokenKind::kEndOfFile) return token;
  pos_ = index + 1;
  // Spans end at the last token of a construct, never at a newline after it.
  if (token.kind != TokenKind::kNewline) previous_end_ = token.span.end;
  return token;
}

// A `probe` with a target after it, which the lexer reads only at the start
// of a statement. Recovery stops there, because a new probe begins.
bool Parser::IsProbeStart(size_t index) const {
  return tokens_[index].kind == TokenKind::kProbe &&
         tokens_[index + 1].kind == TokenKind::kProbeTarget;
}

bool Parser::AtStatementEnd() const {
  TokenKind kind = Peek().kind;
  return kind == TokenKind::kNewline || kind == TokenKind::kSemicolon ||
         kind == TokenKind::kRightBrace || kind == TokenKind::kEndOfFile;
}

// Returns the source of `span` for a message: its first line, cut to a
// length that fits in one.
std::string Parser::SourceText(Span span) const {
  std::string_view text = file_.Slice(span);
  size_t newline = text.find('\n');
  bool cut = newline != std::string_view::npos;
  if (cut) text = text.substr(0, newline);
  constexpr size_t kMaxShown = 40;
  if (text.size() > kMaxShown) {
    text = text.substr(0, kMaxShown);
    cut = true;
  }
  return std::string(text) + (cut ? "..." : "");
}

std::string Parser::Describe(const Token& token) const {
  if (token.kind == TokenKind::kEndOfFile) return "the end of the file";
  if (token.kind == TokenKind::kNewline) return "a newline";
  return "`" + SourceText(token.span) + "`";
}

Diagnostic& Parser::Error(Span span, std::string message, std::string help) {
  open_at_error_ = open_;
  return diagnostics_.Error(span, std::move(message), std::move(help));
}

// Reports "expected X, found Y". A token the lexer already reported as
// invalid gets no second error, and the returned diagnostic is then a scratch
// one that is not recorded.
Diagnostic& Parser::ErrorExpected(std::string_view expected, const Token& found,
                                  std::string help) {
  if (found.kind == TokenKind::kInvalid) {
    open_at_error_ = open_;
    discarded_ = Diagnostic{};
    return discarded_;
  }
  // The end of the file is shown right after the last token, on a line
  // with text, rather than on the empty line after the final newline.
  Span span = found.span;
  if (found.kind == TokenKind::kEndOfFile)
    span = {previous_end_, previous_end_};
  return Error(
      span, "expected " + std::string(expected) + ", found " + Describe(found),
      std::move(help));
}

void Parser::AddOpenedHereLabel(Diagnostic& diagnostic, const Token& open,
                                std::string_view what) {
  diagnostic.labels.push_back({open.span, std::string(what)});
}

// ---------------------------------------------------------------------------
// Recovery

// Skips the rest of a broken statement: up to a newline, `;` or `}` that is
// outside every delimiter that was open when the error was reported, and
// never past the start of the next probe. `open_depth` is the size of `open_`
// when the statement began.
void Parser::SkipStatement(size_t open_depth) {
  std::vector<Open> open;
  if (open_at_error_.size() > open_depth) {
    open.assign(open_at_error_.begin() + open_depth, open_at_error_.end());
  }
  open_at_error_.clear();

  while (true) {
    TokenKind kind = tokens_[pos_].kind;
    if (kind == TokenKind::kEndOfFile || IsProbeStart(pos_)) return;
    if (open.empty() &&
        (kind == TokenKind::kNewline || kind == TokenKind::kSemicolon ||
         kind == TokenKind::kRightBrace)) {
      return;
    }

    // Openers nest, and a closer pops back to its opener. A `}` with no `{`
    // open belongs to the enclosing block, so skipping stops before it.
    if (kind == TokenKind::kLeftParen) open.push_back(Open::kParen);
    if (kind == TokenKind::kLeftBracket) open.push_back(Open::kBracket);
    if (kind == TokenKind::kLeftBrace) open.push_back(Open::kRecordBrace);
    if (kind == TokenKind::kRightParen || kind == TokenKind::kRightBracket ||
        kind == TokenKind::kRightBrace) {
      size_t match = open.size();
      while (match > 0 && !Closes(kind, open[match - 1])) --match;
      if (match > 0) {
        open.resize(match - 1);
      } else if (kind == TokenKind::kRightBrace) {
        return;
      }
    }
    ++pos_;
  }
}

// Skips the rest of a broken top-level item: to the end of its line, past
// any brackets opened on the way, or to the next probe at the top level.
void Parser::SkipItem() {
  int depth = 0;
  while (true) {
    TokenKind kind = tokens_[pos_].kind;
    if (kind == TokenKind::kEndOfFile) return;
    if (depth == 0 && (kind == TokenKind::kNewline ||
                       kind == TokenKind::kSemicolon || IsProbeStart(pos_))) {
      return;
    }
    if (kind == TokenKind::kLeftBrace || kind == TokenKind::kLeftParen ||
        kind == TokenKind::kLeftBracket) {
      ++depth;
    }
    if ((kind == TokenKind::kRightBrace || kind == TokenKind::kRightParen ||
         kind == TokenKind::kRightBracket) &&
        depth > 0) {
      --depth;
    }
    ++pos_;
  }
}

// ---------------------------------------------------------------------------
// Probes and blocks

// file = { separator } { item { separator } }
// separator = NEWLINE | ";"
void Parser::ParseFile(File* out) {
  while (true) {
    while (At(TokenKind::kNewline) || At(TokenKind::kSemicolon)) Advance();
    if (At(TokenKind::kEndOfFile)) return;

    size_t start = pos_;
    ParseItem(out);
    if (pos_ == start) Advance();
  }
}

// item = probe
void Parser::ParseItem(File* out) {
  const Token& token = Peek();
  if (token.kind == TokenKind::kProbe) return ParseProbe(out);

  // TODO: `def main [--flag: type = default] { ... }` should turn script
  // flags into load-time parameters; it needs a `def` node and parameter
  // types in the AST, so it is reported for now.
  if (token.kind == TokenKind::kWord && token.text == "def") {
    Error(token.span, "`def` is not supported yet");
    return SkipItem();
  }
  // TODO: the original proposal's `bpf_probe kernel:function("f")` and
  // `bpf_tracepoint CATEGORY:NAME` should parse as probes; ProbeDecl needs a
  // field for the spelling so the checker can map the target.
  if (token.kind == TokenKind::kWord &&
      (token.text == "bpf_probe" || token.text == "bpf_tracepoint")) {
    Error(token.span, "`" + token.text + "` is not supported yet",
          "write `probe TARGET {|e| ... }`");
    return SkipItem();
  }
  ErrorExpected("a probe, such as `probe TARGET {|e| ... }`", token);
  SkipItem();
}

// probe = "probe" TARGET closure
void Parser::ParseProbe(File* out) {
  const Token& keyword = Advance();
  if (!At(TokenKind::kProbeTarget)) {
    ErrorExpected(
        "a probe target after `probe`, such as "
        "`tracepoint:syscalls:sys_enter_openat`",
        Peek());
    return SkipItem();
  }

  ProbeDecl probe;
  const Token& target = Advance();
  probe.target = target.text;
  probe.target_span = target.span;
  if (!At(TokenKind::kLeftBrace)) {
    ErrorExpected("`{` to start the probe's closure, as in `{|e| ... }`",
                  Peek());
    return SkipItem();
  }

  bool closed = ParseClosure(&probe);
  probe.span = {keyword.span.begin, previous_end_};
  out->probes.push_back(std::move(probe));
  if (!closed) return;

  if (!At(TokenKind::kNewline) && !At(TokenKind::kSemicolon) &&
      !At(TokenKind::kEndOfFile)) {
    ErrorExpected("a newline after the probe's closing `}`", Peek());
    SkipItem();
  }
}

// closure = "{" [ "|" [ NAME ] "|" | "||" ] statements "}"
// Returns false when the closing `}` is missing.
bool Parser::ParseClosure(ProbeDecl* probe) {
  NewlineScope newlines(*this, /*skip=*/false);
  OpenScope open(*this, Open::kBlockBrace);
  const Token& brace = Advance();
  probe->body.span = brace.span;

  if (At(TokenKind::kUnsupportedOperator) && Peek().text == "||") {
    Advance();
  } else if (At(TokenKind::kPipe)) {
    Advance();
    const Token& name = Peek();
    if (name.kind == TokenKind::kWord || name.kind == TokenKind::kVariable) {
      Advance();
      probe->parameter = name.text;
      probe->parameter_span = name.span;
      if (name.kind == TokenKind::kVariable) {
        Error(name.span, "closure parameters are written without `$`",
              "write `{|" + name.text + "| ... }`");
      }
    }

    if (!At(TokenKind::kPipe)) {
      std::string help;
      if (At(TokenKind::kComma)) {
        help = "a probe's closure takes one parameter, the event record";
      } else if (At(TokenKind::kColon)) {
        help = "parameter types are not supported yet, so write `{|e| ... }`";
      }
      ErrorExpected("`|` after the closure's parameter", Peek(), help);
      while (!At(TokenKind::kPipe) && !At(TokenKind::kNewline) &&
             !At(TokenKind::kEndOfFile) && !At(TokenKind::kRightBrace)) {
        Advance();
      }
    }
    if (At(TokenKind::kPipe)) Advance();
  }
  return ParseStatements(&probe->body, brace, "the probe's closure");
}

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

// statements = { separator } [ statement { separator { separator } statement }
// ]
//              { separator } "}"
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

// ---------------------------------------------------------------------------
// Statements

// statement = let | if | pipeline
StmtPtr Parser::ParseStatement() {
  const Token& token = Peek();
  if (token.kind == TokenKind::kLet) return ParseLet();
  if (token.kind == TokenKind::kIf) return ParseIf();
  if (token.kind == TokenKind::kElse) {
    Error(token.span,
          "`else` must be on the same line as the `}` that ends the `if` "
          "block",
          "write `} else {`");
    return nullptr;
  }
  if (token.kind == TokenKind::kWord &&
      ContainsWord(kUnsupportedStatementKeywords, token.text)) {
    Error(token.span, "`" + token.text + "` is not supported yet");
    return nullptr;
  }
  return ParsePipelineStatement();
}

// let = "let" NAME "=" pipeline
StmtPtr Parser::ParseLet() {
  const Token& keyword = Advance();
  const Token& name = Peek();
  if (name.kind == TokenKind::kVariable) {
    Error(name.span, "the variable name in `let` is written without `$`",
          "write `let " + name.text + " = ...`, then use `$" + name.text + "`");
  } else if (name.kind != TokenKind::kWord) {
    ErrorExpected("a variable name after `let`", name);
    return nullptr;
  }
  Advance();
  if (name.text.find('-') != std::string::npos) {
    Error(name.span, "variable names cannot contain `-`",
          "use `_`, as in `min_bytes`");
  }

  if (At(TokenKind::kColon)) {
    Error(Peek().span, "type annotations on `let` are not supported yet");
    return nullptr;
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
  return std::make_unique<LetStmt>(Span{keyword.span.begin, previous_end_},
                                   name.text, name.span, std::move(value));
}

// if = "if" expression block [ "else" ( if | block ) ]
StmtPtr Parser::ParseIf() {
  const Token& keyword = Advance();
  ExprPtr condition = ParseExpression();
  if (!condition) return nullptr;
  if (At(TokenKind::kAssign)) {
    const Token& rhs = Peek(1);
    std::string rhs_text =
        rhs.kind == TokenKind::kLeftBrace ? "..." : SourceText(rhs.span);
    Error(Peek().span, "`=` is not a comparison",
          "write `==` to compare values: `" + SourceText(condition->span) +
              " == " + rhs_text + "`");
    return nullptr;
  }

  Block then_block;
  if (!ParseBlock(&then_block, "the `if` block")) return nullptr;
  auto statement =
      std::make_unique<IfStmt>(Span{keyword.span.begin, previous_end_},
                               std::move(condition), std::move(then_block));
  if (!At(TokenKind::kElse)) return statement;

  Advance();
  auto else_block = std::make_unique<Block>();
  if (At(TokenKind::kIf)) {
    NestingScope nesting(*this);
    if (!nesting.ok()) return nullptr;
    StmtPtr nested = ParseIf();
    if (!nested) return nullptr;
    else_block->span = nested->span;
    else_block->statements.push_back(std::move(nested));
  } else if (!ParseBlock(else_block.get(), "the `else` block")) {
    return nullptr;
  }
  statement->else_block = std::move(else_block);
  statement->span.end = previous_end_;
  return statement;
}

StmtPtr Parser::ParsePipelineStatement() {
  uint32_t begin = Peek().span.begin;
  std::vector<PipelineElement> elements;
  if (!ParsePipelineElements(&elements)) return nullptr;
  auto statement = std::make_unique<PipelineStmt>(Span{begin, previous_end_});
  statement->elements = std::move(elements);
  return statement;
}

// ---------------------------------------------------------------------------

bool Parse(const SourceFile& file, DiagnosticSink& diagnostics, File* out) {
  size_t errors_before = CountErrors(diagnostics);
  Parser(file, diagnostics).ParseFile(out);
  return CountErrors(diagnostics) == errors_before;
}

}  // namespace nubpf::frontend
