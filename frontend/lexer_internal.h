// The lexer's state, shared by lexer.cpp (words, symbols and the main loop),
// lex_number.cpp (numbers and units) and lex_string.cpp (strings and
// interpolation). Only those files include this header.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "frontend/lexer.h"

namespace nubpf::frontend {

inline bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
inline bool IsWordChar(char c) { return IsLetter(c) || IsDigit(c) || c == '-'; }

// The deepest nesting of interpolated strings inside the expressions of
// interpolated strings. The lexer reads each level by recursion, so the
// limit keeps hostile input from exhausting the stack. The parser's own
// nesting limit is the same.
constexpr int kMaxInterpolationNesting = 128;

class Lexer {
 public:
  Lexer(const SourceFile& file, DiagnosticSink& diagnostics)
      : text_(file.text()), base_(file.base()), diagnostics_(diagnostics) {}

  std::vector<Token> Run();

 private:
  char At(size_t offset) const {
    return offset < text_.size() ? text_[offset] : '\0';
  }
  bool AtEnd() const { return pos_ >= text_.size(); }
  Span SpanFrom(size_t begin) const { return SpanOf(begin, pos_); }
  Span SpanOf(size_t begin, size_t end) const {
    return {base_ + static_cast<uint32_t>(begin), base_ + static_cast<uint32_t>(end)};
  }
  std::string Source(size_t begin) const {
    return std::string(text_.substr(begin, pos_ - begin));
  }

  // lexer.cpp
  void SkipSpaceAndComments();
  bool ExpectsProbeTarget() const;
  void Add(TokenKind kind, size_t begin, std::string text);
  void AddSource(TokenKind kind, size_t begin) {
    Add(kind, begin, Source(begin));
  }
  void LexToken();
  void LexProbeTarget();
  void LexWord();
  void LexVariable();
  void LexMinus();
  void LexSymbol();
  void LexInvalid();

  // lex_number.cpp
  void LexNumber();
  bool AfterCellPathDot() const;
  void LexBasedInteger(size_t begin, int base);
  void LexDecimal(size_t begin, std::string_view number,
                  std::string_view suffix);
  void LexNumberWithUnit(size_t begin, std::string_view number,
                         std::string_view suffix);

  // lex_string.cpp
  void LexDoubleQuoted();
  bool LexEscape(std::string& value);
  void LexQuotedRaw(char quote);
  void LexRawString();
  void LexInterpolation();
  void LexInterpolatedExpression(char quote);
  void SkipInterpolation(size_t begin);

  std::string_view text_;
  // Added to every span, so that a module's spans point into the module.
  uint32_t base_ = 0;
  DiagnosticSink& diagnostics_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  bool space_before_ = true;
  int interpolation_depth_ = 0;
  // True once an error has reported a string that runs to the end of the
  // file.
  bool reported_unterminated_ = false;
};

}  // namespace nubpf::frontend
