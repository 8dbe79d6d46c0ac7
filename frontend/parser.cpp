// The token cursor, error recovery and the file. The rules for each part of
// the grammar are in the parse_*.cpp files that parser_internal.h lists.
#include "frontend/parser.h"

#include <string_view>

#include "frontend/parser_internal.h"

namespace nubpf::frontend {
namespace {

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

// `probe`, or the original proposal's `bpf_probe` and `bpf_tracepoint`.
bool Parser::IsProbeKeyword(const Token& token) const {
  if (token.kind == TokenKind::kProbe) return true;
  return token.kind == TokenKind::kWord &&
         (token.text == "bpf_probe" || token.text == "bpf_tracepoint");
}

// A probe keyword with a target after it, which the lexer reads only at the
// start of a statement. Recovery stops there, because a new probe begins.
bool Parser::IsProbeStart(size_t index) const {
  return IsProbeKeyword(tokens_[index]) &&
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
  if (token.kind == TokenKind::kInterpolationEnd &&
      token.span.begin == token.span.end) {
    return "the end of the file";
  }
  return "`" + SourceText(token.span) + "`";
}

Diagnostic& Parser::Error(Span span, std::string message, std::string help) {
  open_at_error_ = open_;
  return diagnostics_.Error(span, std::move(message), std::move(help));
}

// Reports "expected X, found Y". A token the lexer already reported as
// invalid gets no second error, and neither does the end of a file that an
// unterminated string ran into. The returned diagnostic is then a scratch
// one that is not recorded.
Diagnostic& Parser::ErrorExpected(std::string_view expected, const Token& found,
                                  std::string help) {
  bool reported =
      found.kind == TokenKind::kInvalid ||
      (found.kind == TokenKind::kEndOfFile && found.after_unterminated_string);
  if (reported) {
    open_at_error_ = open_;
    discarded_ = Diagnostic{};
    return discarded_;
  }
  // The end of the file is shown right after the last token, on a line
  // with text, rather than on the empty line after the final newline.
  Span span = found.span;
  if (found.kind == TokenKind::kEndOfFile) {
    span = {previous_end_, previous_end_};
  }
  return Error(
      span, "expected " + std::string(expected) + ", found " + Describe(found),
      std::move(help));
}

Diagnostic& Parser::ErrorNotInProbe(Span span, NotInProbe construct,
                                    std::string_view name) {
  open_at_error_ = open_;
  return ReportNotInProbe(diagnostics_, span, construct, name);
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
// The file

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

bool Parse(const SourceFile& file, DiagnosticSink& diagnostics, File* out) {
  size_t errors_before = CountErrors(diagnostics);
  Parser(file, diagnostics).ParseFile(out);
  return CountErrors(diagnostics) == errors_before;
}

}  // namespace nubpf::frontend
