#include "frontend/lexer.h"

#include <string_view>

namespace nubpf::frontend {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsWordChar(char c) { return IsLetter(c) || IsDigit(c) || c == '-'; }
bool IsVariableChar(char c) { return IsLetter(c) || IsDigit(c); }

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

struct Keyword {
  std::string_view spelling;
  TokenKind kind;
};

constexpr Keyword kKeywords[] = {
    {"probe", TokenKind::kProbe}, {"let", TokenKind::kLet},
    {"if", TokenKind::kIf},       {"else", TokenKind::kElse},
    {"true", TokenKind::kTrue},   {"false", TokenKind::kFalse},
    {"and", TokenKind::kAnd},     {"or", TokenKind::kOr},
    {"not", TokenKind::kNot},
};

// Appends code point `c`, at most 0x10FFFF, to `out` as UTF-8.
void AppendUtf8(uint32_t c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

class Lexer {
 public:
  Lexer(const SourceFile& file, DiagnosticSink& diagnostics)
      : text_(file.text()), diagnostics_(diagnostics) {}

  std::vector<Token> Run();

 private:
  char At(size_t offset) const {
    return offset < text_.size() ? text_[offset] : '\0';
  }
  bool AtEnd() const { return pos_ >= text_.size(); }
  Span SpanFrom(size_t begin) const {
    return {static_cast<uint32_t>(begin), static_cast<uint32_t>(pos_)};
  }

  void SkipSpaceAndComments();
  bool ExpectsProbeTarget() const;
  void Add(TokenKind kind, size_t begin, std::string text);
  void AddSource(TokenKind kind, size_t begin) {
    Add(kind, begin, std::string(text_.substr(begin, pos_ - begin)));
  }

  void LexToken();
  void LexProbeTarget();
  void LexNumber();
  void LexWord();
  void LexVariable();
  void LexMinus();
  void LexDoubleQuoted();
  void LexRaw(char quote);
  void LexInterpolation();
  void LexSymbol();
  void LexInvalid();
  bool LexEscape(std::string& value);

  std::string_view text_;
  DiagnosticSink& diagnostics_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  bool space_before_ = true;
};

std::vector<Token> Lexer::Run() {
  while (true) {
    SkipSpaceAndComments();
    if (AtEnd()) break;
    LexToken();
  }
  size_t end = text_.size();
  pos_ = end;
  Add(TokenKind::kEndOfFile, end, "");
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
    if (c == '#') {
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

// A probe target follows `probe` and whitespace at the start of a statement:
// the first token of the file or of a line, or the first after `;` or `{`.
// Elsewhere `probe` is an ordinary name, as in `$e.probe` or `{probe: 1}`.
bool Lexer::ExpectsProbeTarget() const {
  if (!space_before_) return false;
  size_t count = tokens_.size();
  if (count == 0 || tokens_[count - 1].kind != TokenKind::kProbe) return false;
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
  if (IsLetter(c)) return LexWord();
  if (c == '$') return LexVariable();
  if (c == '-') return LexMinus();
  if (c == '"') return LexDoubleQuoted();
  if (c == '\'' || c == '`') return LexRaw(c);
  LexSymbol();
}

// Reads the target raw, up to whitespace or `{`, so that targets such as
// `uprobe:/bin/bash:readline` or `kprobe:do_sys_open+0x10` need no quoting.
// The parser checks what the target means.
void Lexer::LexProbeTarget() {
  size_t begin = pos_;
  while (!AtEnd() && text_[pos_] != '{' && text_[pos_] != '\n' &&
         !IsSpace(text_[pos_])) {
    ++pos_;
  }
  AddSource(TokenKind::kProbeTarget, begin);
}

// Reads decimal, `0x`, `0o` and `0b` integers with `_` separators. The whole
// run of letters and digits is read first, so `10kb` is one invalid token
// rather than `10` and a word.
void Lexer::LexNumber() {
  size_t begin = pos_;
  while (!AtEnd() && (IsLetter(text_[pos_]) || IsDigit(text_[pos_]))) ++pos_;
  std::string_view spelling = text_.substr(begin, pos_ - begin);

  int base = 10;
  std::string_view digits = spelling;
  if (spelling.size() >= 2 && spelling[0] == '0') {
    char prefix = spelling[1];
    if (prefix == 'x' || prefix == 'X') base = 16;
    if (prefix == 'o' || prefix == 'O') base = 8;
    if (prefix == 'b' || prefix == 'B') base = 2;
    if (base != 10) digits = spelling.substr(2);
  }

  uint64_t value = 0;
  bool valid = false;
  bool overflow = false;
  for (char digit : digits) {
    if (digit == '_') continue;
    int d = HexDigitValue(digit);
    if (d < 0 || d >= base) {
      valid = false;
      break;
    }
    valid = true;
    if (value > (UINT64_MAX - static_cast<uint64_t>(d)) / base) overflow = true;
    value = value * base + static_cast<uint64_t>(d);
  }

  // `_` may not lead the digits: `0x_1` and `_1` are not numbers in Nushell.
  if (!digits.empty() && digits[0] == '_') valid = false;

  AddSource(TokenKind::kInt, begin);
  Span span = tokens_.back().span;
  if (!valid) {
    std::string help;
    if (base == 10 && IsLetter(spelling.back())) {
      help =
          "numbers with units, such as `10kb` or `5sec`, are not supported "
          "yet";
    }
    diagnostics_.Error(
        span, "invalid integer literal `" + std::string(spelling) + "`", help);
    return;
  }
  if (overflow) {
    diagnostics_.Error(span, "integer literal `" + std::string(spelling) +
                                 "` does not fit in 64 bits");
    return;
  }
  tokens_.back().int_value = value;
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

// Reads `--name` as a flag and `-x` after whitespace as a short flag. Any
// other `-` is the minus operator, binary or unary (`-5`, `-$x`).
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
  if (space_before_ && IsLetter(At(pos_ + 1))) {
    ++pos_;
    while (!AtEnd() && IsWordChar(text_[pos_])) ++pos_;
    return Add(TokenKind::kShortFlag, begin,
               std::string(text_.substr(begin + 1, pos_ - begin - 1)));
  }
  ++pos_;
  AddSource(TokenKind::kMinus, begin);
}

void Lexer::LexDoubleQuoted() {
  size_t begin = pos_;
  ++pos_;
  std::string value;
  bool valid = true;
  while (!AtEnd() && text_[pos_] != '"') {
    if (text_[pos_] == '\\') {
      valid = LexEscape(value) && valid;
      continue;
    }
    value += text_[pos_++];
  }

  if (AtEnd()) {
    AddSource(TokenKind::kString, begin);
    diagnostics_.Error(
        {static_cast<uint32_t>(begin), static_cast<uint32_t>(begin + 1)},
        "missing closing `\"` for this string");
    return;
  }
  ++pos_;
  Add(TokenKind::kString, begin, std::move(value));
}

// Decodes the escape at `pos_` (a backslash) into `value`. Returns false
// after reporting an unknown or malformed escape.
bool Lexer::LexEscape(std::string& value) {
  size_t begin = pos_;
  char c = At(pos_ + 1);
  pos_ += AtEnd() || pos_ + 1 >= text_.size() ? 1 : 2;
  switch (c) {
    case 'n':
      value += '\n';
      return true;
    case 't':
      value += '\t';
      return true;
    case 'r':
      value += '\r';
      return true;
    case '0':
      value += '\0';
      return true;
    case '\\':
      value += '\\';
      return true;
    case '"':
      value += '"';
      return true;
    case '\'':
      value += '\'';
      return true;
    case '/':
      value += '/';
      return true;
    case 'u':
      break;
    default: {
      diagnostics_.Error(SpanFrom(begin),
                         "unknown escape `" +
                             std::string(text_.substr(begin, pos_ - begin)) +
                             "` in a string",
                         "the escapes are `\\n`, `\\t`, `\\r`, `\\0`, `\\\\`, "
                         "`\\\"`, `\\'`, `\\/` and `\\u{...}`, so a "
                         "backslash is written `\\\\`");
      return false;
    }
  }

  // `\u{1F600}`: one to six hex digits naming a Unicode scalar value.
  uint32_t code = 0;
  size_t digits = 0;
  bool well_formed = At(pos_) == '{';
  if (well_formed) {
    ++pos_;
    while (HexDigitValue(At(pos_)) >= 0 && digits < 7) {
      code = code * 16 + HexDigitValue(At(pos_));
      ++pos_;
      ++digits;
    }
    well_formed = At(pos_) == '}' && digits >= 1 && digits <= 6;
    if (At(pos_) == '}') ++pos_;
  }
  if (!well_formed || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
    diagnostics_.Error(SpanFrom(begin),
                       "invalid unicode escape `" +
                           std::string(text_.substr(begin, pos_ - begin)) + "`",
                       "write one to six hex digits naming a Unicode scalar "
                       "value, as in `\\u{e9}`");
    return false;
  }
  AppendUtf8(code, value);
  return true;
}

// Single-quoted strings and backtick-quoted words have no escapes.
void Lexer::LexRaw(char quote) {
  size_t begin = pos_;
  ++pos_;
  while (!AtEnd() && text_[pos_] != quote) ++pos_;
  if (AtEnd()) {
    AddSource(TokenKind::kString, begin);
    tokens_.back().text = std::string(text_.substr(begin + 1));
    diagnostics_.Error(
        {static_cast<uint32_t>(begin), static_cast<uint32_t>(begin + 1)},
        std::string("missing closing `") + quote + "` for this string");
    return;
  }
  ++pos_;
  Add(TokenKind::kString, begin,
      std::string(text_.substr(begin + 1, pos_ - begin - 2)));
}

// TODO: string interpolation (`$"pid=($e.pid)"`) should parse into parts for
// `print`; it needs a format-string node in the AST, so it is reported.
void Lexer::LexInterpolation() {
  size_t begin = pos_ - 1;
  char quote = text_[pos_];
  ++pos_;
  while (!AtEnd() && text_[pos_] != quote) {
    pos_ +=
        quote == '"' && text_[pos_] == '\\' && pos_ + 1 < text_.size() ? 2 : 1;
  }
  if (!AtEnd()) ++pos_;
  AddSource(TokenKind::kInvalid, begin);
  diagnostics_.Error(tokens_.back().span,
                     "string interpolation is not supported yet");
}

struct Symbol {
  std::string_view spelling;
  TokenKind kind;
};

// Longer spellings come first so that `==` wins over `=`.
constexpr Symbol kSymbols[] = {
    {"==", TokenKind::kEqualEqual},
    {"!=", TokenKind::kNotEqual},
    {"<=", TokenKind::kLessEqual},
    {">=", TokenKind::kGreaterEqual},
    {"=~", TokenKind::kUnsupportedOperator},
    {"!~", TokenKind::kUnsupportedOperator},
    {"=>", TokenKind::kUnsupportedOperator},
    {"**", TokenKind::kUnsupportedOperator},
    {"//", TokenKind::kUnsupportedOperator},
    {"++", TokenKind::kUnsupportedOperator},
    {"+=", TokenKind::kUnsupportedOperator},
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
    {"/", TokenKind::kUnsupportedOperator},
    {"!", TokenKind::kUnsupportedOperator},
    {"&", TokenKind::kUnsupportedOperator},
};

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

}  // namespace

std::vector<Token> Lex(const SourceFile& file, DiagnosticSink& diagnostics) {
  return Lexer(file, diagnostics).Run();
}

bool IsNameToken(TokenKind kind) {
  return kind == TokenKind::kWord || kind == TokenKind::kProbe ||
         kind == TokenKind::kLet || kind == TokenKind::kIf ||
         kind == TokenKind::kElse || kind == TokenKind::kTrue ||
         kind == TokenKind::kFalse || kind == TokenKind::kAnd ||
         kind == TokenKind::kOr || kind == TokenKind::kNot;
}

}  // namespace nubpf::frontend
