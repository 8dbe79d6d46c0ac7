// Strings: double-quoted with escapes, single-quoted, backtick and raw
// `r#'...'#` strings without escapes, and interpolated strings `$"..."` and
// `$'...'`.
#include <string_view>

#include "frontend/lexer_internal.h"

namespace nubpf::frontend {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

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

// The escapes of Nushell's double-quoted strings that stand for one byte.
struct SimpleEscape {
  char written;
  char value;
};

constexpr SimpleEscape kSimpleEscapes[] = {
    {'n', '\n'},  {'t', '\t'}, {'r', '\r'}, {'0', '\0'},  {'a', '\a'},
    {'b', '\b'},  {'e', 0x1B}, {'f', '\f'}, {'\\', '\\'}, {'"', '"'},
    {'\'', '\''}, {'/', '/'},  {'(', '('},  {')', ')'},   {'{', '{'},
    {'}', '}'},   {'$', '$'},  {'^', '^'},  {'#', '#'},   {'|', '|'},
    {'~', '~'},
};

constexpr char kEscapesHelp[] =
    "the escapes are `\\n`, `\\t`, `\\r`, `\\0`, `\\\"`, `\\'`, `\\(`, "
    "`\\xHH`, `\\u{...}` and Nushell's others, so a backslash is written "
    "`\\\\`";

}  // namespace

void Lexer::LexDoubleQuoted() {
  size_t begin = pos_;
  ++pos_;
  std::string value;
  while (!AtEnd() && text_[pos_] != '"') {
    if (text_[pos_] == '\\') {
      LexEscape(value);
      continue;
    }
    value += text_[pos_++];
  }

  if (AtEnd()) {
    AddSource(TokenKind::kString, begin);
    diagnostics_.Error(SpanOf(begin, begin + 1),
                       "missing closing `\"` for this string");
    reported_unterminated_ = true;
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
  pos_ += pos_ + 1 >= text_.size() ? 1 : 2;
  for (const SimpleEscape& escape : kSimpleEscapes) {
    if (c != escape.written) continue;
    value += escape.value;
    return true;
  }

  // `\x41`: exactly two hex digits naming a byte.
  if (c == 'x') {
    int high = HexValue(At(pos_));
    int low = HexValue(At(pos_ + 1));
    if (high >= 0 && low >= 0) {
      pos_ += 2;
      value += static_cast<char>(high * 16 + low);
      return true;
    }
    diagnostics_.Error(SpanFrom(begin), "invalid hex escape `\\x`",
                       "write exactly two hex digits, as in `\\x41`");
    return false;
  }

  if (c != 'u') {
    diagnostics_.Error(SpanFrom(begin),
                       "unknown escape `" +
                           std::string(text_.substr(begin, pos_ - begin)) +
                           "` in a string",
                       kEscapesHelp);
    return false;
  }

  // `\u{1F600}`: one to six hex digits naming a Unicode scalar value.
  uint32_t code = 0;
  size_t digits = 0;
  bool well_formed = At(pos_) == '{';
  if (well_formed) {
    ++pos_;
    while (HexValue(At(pos_)) >= 0 && digits < 7) {
      code = code * 16 + HexValue(At(pos_));
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
void Lexer::LexQuotedRaw(char quote) {
  size_t begin = pos_;
  ++pos_;
  while (!AtEnd() && text_[pos_] != quote) ++pos_;
  if (AtEnd()) {
    AddSource(TokenKind::kString, begin);
    tokens_.back().text = std::string(text_.substr(begin + 1));
    diagnostics_.Error(
        SpanOf(begin, begin + 1),
        std::string("missing closing `") + quote + "` for this string");
    reported_unterminated_ = true;
    return;
  }
  ++pos_;
  Add(TokenKind::kString, begin,
      std::string(text_.substr(begin + 1, pos_ - begin - 2)));
}

// raw-string = "r" "#"{n} "'" text "'" "#"{n}
//
// The text runs to the first `'` followed by as many `#` as opened it, so
// `r#'it's'#` is `it's` and `r##'a'#b'##` is `a'#b`.
void Lexer::LexRawString() {
  size_t begin = pos_;
  ++pos_;
  size_t hashes = 0;
  while (At(pos_) == '#') {
    ++pos_;
    ++hashes;
  }
  if (At(pos_) != '\'') {
    AddSource(TokenKind::kInvalid, begin);
    diagnostics_.Error(tokens_.back().span,
                       "expected `'` to start the raw string",
                       "write a raw string as `r#'text'#`");
    return;
  }
  ++pos_;

  std::string closing = "'" + std::string(hashes, '#');
  size_t close = text_.find(closing, pos_);
  if (close == std::string_view::npos) {
    pos_ = text_.size();
    AddSource(TokenKind::kString, begin);
    tokens_.back().text = std::string(text_.substr(begin + hashes + 2));
    diagnostics_.Error(SpanOf(begin, begin + hashes + 2),
                       "missing closing `" + closing + "` for this raw string");
    reported_unterminated_ = true;
    return;
  }
  std::string value(text_.substr(pos_, close - pos_));
  pos_ = close + closing.size();
  Add(TokenKind::kString, begin, std::move(value));
}

// interpolation = "$" quote { text | "(" pipeline ")" } quote
//
// `pos_` is at the quote after `$`. Text between the expressions becomes
// kInterpolationText tokens; in `$"..."` escapes are resolved as in
// double-quoted strings, and `\(` is a literal parenthesis. `$'...'` has no
// escapes.
void Lexer::LexInterpolation() {
  size_t begin = pos_ - 1;
  char quote = text_[pos_];
  if (interpolation_depth_ >= kMaxInterpolationNesting) {
    return SkipInterpolation(begin);
  }
  ++pos_;
  AddSource(TokenKind::kInterpolationStart, begin);
  ++interpolation_depth_;

  std::string text;
  size_t text_begin = pos_;
  auto flush_text = [&] {
    if (pos_ == text_begin) return;
    Add(TokenKind::kInterpolationText, text_begin, std::move(text));
    text.clear();
  };
  while (!AtEnd() && text_[pos_] != quote) {
    char c = text_[pos_];
    if (c == '(') {
      flush_text();
      LexInterpolatedExpression(quote);
      text_begin = pos_;
      continue;
    }
    if (quote == '"' && c == '\\') {
      LexEscape(text);
      continue;
    }
    text += c;
    ++pos_;
  }
  flush_text();
  --interpolation_depth_;

  // An unclosed string runs to the end of the file, and so do the strings
  // around it, so only the innermost is reported.
  if (AtEnd()) {
    if (!reported_unterminated_) {
      diagnostics_.Error(SpanOf(begin, begin + 2),
                         std::string("missing closing `") + quote +
                             "` for this interpolated string");
    }
    reported_unterminated_ = true;
    return Add(TokenKind::kInterpolationEnd, pos_, "");
  }
  size_t end_begin = pos_;
  ++pos_;
  AddSource(TokenKind::kInterpolationEnd, end_begin);
}

// Lexes the tokens of one `( ... )` inside an interpolated string, from
// `pos_` at the `(` to its matching `)` or the end of the file.
//
// A `quote` that is not closed later on its line ends the string, so that
// `$"pid=($e.pid"` is one missing `)` rather than a new string that runs to
// the end of the file. A quote closed on its line is a string inside the
// expression, as in `$"(if $x { "a" } else { "b" })"`.
void Lexer::LexInterpolatedExpression(char quote) {
  size_t open = pos_;
  ++pos_;
  space_before_ = false;
  AddSource(TokenKind::kLeftParen, open);

  int depth = 0;
  while (true) {
    SkipSpaceAndComments();
    if (AtEnd()) return;
    if (text_[pos_] == quote) {
      size_t line_end = text_.find('\n', pos_ + 1);
      size_t closing = text_.find(quote, pos_ + 1);
      if (closing == std::string_view::npos || closing > line_end) return;
    }
    LexToken();
    TokenKind kind = tokens_.back().kind;
    if (kind == TokenKind::kLeftParen) ++depth;
    if (kind != TokenKind::kRightParen) continue;
    if (depth == 0) return;
    --depth;
  }
}

// Reports an interpolated string nested too deep and reads the rest of the
// file as one invalid token. Reading on would need the recursion the limit
// is there to stop, and guessing where the string ends would bring more
// errors than it saves.
void Lexer::SkipInterpolation(size_t begin) {
  pos_ = text_.size();
  reported_unterminated_ = true;
  AddSource(TokenKind::kInvalid, begin);
  diagnostics_.Error(SpanOf(begin, begin + 2),
                     "interpolated strings are nested deeper than " +
                         std::to_string(kMaxInterpolationNesting) + " levels");
}

}  // namespace nubpf::frontend
