// The lexer's main loop, words, variables, flags and symbols. Numbers are in
// lex_number.cpp, strings and interpolation in lex_string.cpp.
#include "frontend/lexer.h"

#include <string_view>

#include "frontend/lexer_internal.h"

namespace nubpf::frontend {
namespace {

bool IsVariableChar(char c) { return IsLetter(c) || IsDigit(c); }

struct Keyword {
  std::string_view spelling;
  TokenKind kind;
};

constexpr Keyword kKeywords[] = {
    {"probe", TokenKind::kProbe}, {"let", TokenKind::kLet},
    {"if", TokenKind::kIf},       {"else", TokenKind::kElse},
    {"true", TokenKind::kTrue},   {"false", TokenKind::kFalse},
    {"null", TokenKind::kNull},   {"and", TokenKind::kAnd},
    {"or", TokenKind::kOr},       {"not", TokenKind::kNot},
};

// Words of the original proposal that take a raw probe target, as `probe`
// does: `bpf_probe kernel:function("f")`, `bpf_tracepoint CATEGORY:NAME`.
bool IsProposalProbeWord(const Token& token) {
  return token.kind == TokenKind::kWord &&
         (token.text == "bpf_probe" || token.text == "bpf_tracepoint");
}

struct Symbol {
  std::string_view spelling;
  TokenKind kind;
};

// Longer spellings come first so that `==` wins over `=` and `..<` over `..`.
constexpr Symbol kSymbols[] = {
    {"...", TokenKind::kSpread},
    {"..<", TokenKind::kDotDotLess},
    {"..=", TokenKind::kDotDotEqual},
    {"++=", TokenKind::kUnsupportedOperator},
    {"==", TokenKind::kEqualEqual},
    {"!=", TokenKind::kNotEqual},
    {"<=", TokenKind::kLessEqual},
    {">=", TokenKind::kGreaterEqual},
    {"=~", TokenKind::kRegexMatch},
    {"!~", TokenKind::kNotRegexMatch},
    {"=>", TokenKind::kFatArrow},
    {"**", TokenKind::kStarStar},
    {"//", TokenKind::kSlashSlash},
    {"+=", TokenKind::kPlusAssign},
    {"*=", TokenKind::kStarAssign},
    {"/=", TokenKind::kSlashAssign},
    {"..", TokenKind::kDotDot},
    {"++", TokenKind::kUnsupportedOperator},
    {"&&", TokenKind::kUnsupportedOperator},
    {"||", TokenKind::kUnsupportedOperator},
    {"{", TokenKind::kLeftBrace},
    {"}", TokenKind::kRightBrace},
    {"(", TokenKind::kLeftParen},
    {")", TokenKind::kRightParen},
    {"[", TokenKind::kLeftBracket},
    {"]", TokenKind::kRightBracket},
    {",", TokenKind::kComma},
    {":", TokenKind::kColon},
    {".", TokenKind::kDot},
    {";", TokenKind::kSemicolon},
    {"|", TokenKind::kPipe},
    {"=", TokenKind::kAssign},
    {"<", TokenKind::kLess},
    {">", TokenKind::kGreater},
    {"+", TokenKind::kPlus},
    {"*", TokenKind::kStar},
    {"/", TokenKind::kSlash},
    {"?", TokenKind::kQuestion},
    {"^", TokenKind::kCaret},
    {"!", TokenKind::kUnsupportedOperator},
    {"&", TokenKind::kUnsupportedOperator},
};

}  // namespace

std::vector<Token> Lexer::Run() {
  while (true) {
    SkipSpaceAndComments();
    if (AtEnd()) break;
    LexToken();
  }
  size_t end = text_.size();
  pos_ = end;
  Add(TokenKind::kEndOfFile, end, "");
  tokens_.back().after_unterminated_string = reported_unterminated_;
  return std::move(tokens_);
}

void Lexer::SkipSpaceAndComments() {
  while (!AtEnd()) {
    char c = text_[pos_];
    if (IsSpace(c)) {
      ++pos_;
      space_before_ = true;
      continue;
    }

    // A comment runs to the end of the line, and the newline stays a token.
    // Inside the expressions of an interpolated string, a `#` would hide the
    // closing quote, so it is not a comment there.
    if (c == '#' && interpolation_depth_ == 0) {
      while (!AtEnd() && text_[pos_] != '\n') ++pos_;
      space_before_ = true;
      continue;
    }
    return;
  }
}

void Lexer::Add(TokenKind kind, size_t begin, std::string text) {
  Token token;
  token.kind = kind;
  token.span = SpanFrom(begin);
  token.space_before = space_before_;
  token.text = std::move(text);
  tokens_.push_back(std::move(token));
  space_before_ = kind == TokenKind::kNewline;
}

// A probe target follows `probe` (or `bpf_probe`, `bpf_tracepoint`) and
// whitespace at the start of a statement: the first token of the file or of
// a line, or the first after `;` or `{`. Elsewhere `probe` is an ordinary
// name, as in `$e.probe` or `{probe: 1}`.
bool Lexer::ExpectsProbeTarget() const {
  if (!space_before_) return false;
  size_t count = tokens_.size();
  if (count == 0) return false;
  const Token& keyword = tokens_[count - 1];
  if (keyword.kind != TokenKind::kProbe && !IsProposalProbeWord(keyword)) {
    return false;
  }
  if (count == 1) return true;
  TokenKind before = tokens_[count - 2].kind;
  return before == TokenKind::kNewline || before == TokenKind::kSemicolon ||
         before == TokenKind::kLeftBrace;
}

void Lexer::LexToken() {
  char c = text_[pos_];
  size_t begin = pos_;

  if (ExpectsProbeTarget() && c != '\n' && c != '{') return LexProbeTarget();
  if (c == '\n') {
    ++pos_;
    return Add(TokenKind::kNewline, begin, "\n");
  }
  if (IsDigit(c)) return LexNumber();
  if (c == 'r' && At(pos_ + 1) == '#') return LexRawString();
  if (IsLetter(c)) return LexWord();
  if (c == '$') return LexVariable();
  if (c == '-') return LexMinus();
  if (c == '"') return LexDoubleQuoted();
  if (c == '\'' || c == '`') return LexQuotedRaw(c);
  LexSymbol();
}

// Reads the target raw, up to whitespace or `{`, so that targets such as
// `uprobe:/bin/bash:readline`, `kprobe:do_sys_open+0x10` or
// `kernel:function("f")` need no quoting. The parser checks what the target
// means.
void Lexer::LexProbeTarget() {
  size_t begin = pos_;
  while (!AtEnd() && text_[pos_] != '{' && text_[pos_] != '\n' &&
         !IsSpace(text_[pos_])) {
    ++pos_;
  }
  AddSource(TokenKind::kProbeTarget, begin);
}

void Lexer::LexWord() {
  size_t begin = pos_;
  while (!AtEnd() && IsWordChar(text_[pos_])) ++pos_;
  std::string_view word = text_.substr(begin, pos_ - begin);

  for (const Keyword& keyword : kKeywords) {
    if (keyword.spelling == word) return AddSource(keyword.kind, begin);
  }
  AddSource(TokenKind::kWord, begin);
}

void Lexer::LexVariable() {
  size_t begin = pos_;
  ++pos_;
  char next = At(pos_);
  if (next == '"' || next == '\'') return LexInterpolation();

  while (!AtEnd() && IsVariableChar(text_[pos_])) ++pos_;
  if (pos_ == begin + 1) {
    AddSource(TokenKind::kInvalid, begin);
    diagnostics_.Error(tokens_.back().span,
                       "expected a variable name after `$`",
                       "variable names are letters, digits and `_`, as in "
                       "`$e` or `$min_bytes`");
    return;
  }
  Add(TokenKind::kVariable, begin,
      std::string(text_.substr(begin + 1, pos_ - begin - 1)));
}

// Reads `--name` as a flag, `-=` as an assignment and `-x` after whitespace
// as a short flag. Any other `-` is the minus operator, binary or unary
// (`-5`, `-$x`).
void Lexer::LexMinus() {
  size_t begin = pos_;
  if (At(pos_ + 1) == '-' && IsLetter(At(pos_ + 2))) {
    pos_ += 2;
    while (!AtEnd() && IsWordChar(text_[pos_])) ++pos_;
    return Add(TokenKind::kFlag, begin,
               std::string(text_.substr(begin + 2, pos_ - begin - 2)));
  }
  if (At(pos_ + 1) == '-') {
    pos_ += 2;
    return AddSource(TokenKind::kUnsupportedOperator, begin);
  }
  if (At(pos_ + 1) == '=') {
    pos_ += 2;
    return AddSource(TokenKind::kMinusAssign, begin);
  }
  if (space_before_ && IsLetter(At(pos_ + 1))) {
    ++pos_;
    while (!AtEnd() && IsWordChar(text_[pos_])) ++pos_;
    return Add(TokenKind::kShortFlag, begin,
               std::string(text_.substr(begin + 1, pos_ - begin - 1)));
  }
  ++pos_;
  AddSource(TokenKind::kMinus, begin);
}

void Lexer::LexSymbol() {
  size_t begin = pos_;
  std::string_view rest = text_.substr(pos_);
  for (const Symbol& symbol : kSymbols) {
    if (rest.substr(0, symbol.spelling.size()) == symbol.spelling) {
      pos_ += symbol.spelling.size();
      return AddSource(symbol.kind, begin);
    }
  }
  LexInvalid();
}

// Reports a run of bytes that start no token once, however long it is.
void Lexer::LexInvalid() {
  size_t begin = pos_;
  auto starts_token = [&](char c) {
    if (IsSpace(c) || c == '\n' || c == '#' || IsLetter(c) || IsDigit(c)) {
      return true;
    }
    if (c == '$' || c == '-' || c == '"' || c == '\'' || c == '`') return true;
    for (const Symbol& symbol : kSymbols) {
      if (symbol.spelling[0] == c) return true;
    }
    return false;
  };
  while (!AtEnd() && (pos_ == begin || !starts_token(text_[pos_]))) ++pos_;

  AddSource(TokenKind::kInvalid, begin);
  std::string printable;
  for (char c : text_.substr(begin, pos_ - begin)) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7F) {
      printable += c;
      continue;
    }
    const char* hex = "0123456789abcdef";
    printable += "\\x";
    printable += hex[byte >> 4];
    printable += hex[byte & 0xF];
  }
  diagnostics_.Error(tokens_.back().span,
                     "unexpected characters `" + printable + "`",
                     "names are ASCII letters, digits, `_` and `-`, so quote "
                     "other text as a string");
}

std::vector<Token> Lex(const SourceFile& file, DiagnosticSink& diagnostics) {
  return Lexer(file, diagnostics).Run();
}

bool IsNameToken(TokenKind kind) {
  return kind == TokenKind::kWord || kind == TokenKind::kProbe ||
         kind == TokenKind::kLet || kind == TokenKind::kIf ||
         kind == TokenKind::kElse || kind == TokenKind::kTrue ||
         kind == TokenKind::kFalse || kind == TokenKind::kNull ||
         kind == TokenKind::kAnd || kind == TokenKind::kOr ||
         kind == TokenKind::kNot;
}

}  // namespace nubpf::frontend
