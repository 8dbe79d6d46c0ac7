// The lexer: splits a probe file into tokens for the parser.
//
//   probe tracepoint:syscalls:sys_enter_read {|e| $e.comm | count }  # hot
//
// lexes to `probe`, a probe target, `{`, `|`, word `e`, `|`, variable `e`,
// `.`, word `comm`, `|`, word `count`, `}`, a newline and the end of the
// file. Comments are dropped. Each token records whether whitespace comes
// before it, because Nushell needs spaces around operators and none inside a
// cell path, and the parser checks both.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "frontend/diagnostics.h"
#include "frontend/source.h"

namespace nubpf::frontend {

enum class TokenKind {
  kEndOfFile,
  kNewline,
  kSemicolon,

  kInt,          // 42, 0x2a, 0o52, 0b101010, 1_000
  kString,       // "text" with escapes, 'raw text' or `raw text`
  kVariable,     // $name
  kWord,         // count, str, starts-with, sys_enter_openat
  kFlag,         // --by
  kShortFlag,    // -l
  kProbeTarget,  // the raw word after `probe`

  // Keywords. A keyword still reads as a name where the grammar needs one,
  // as in a record key (`{if: 1}`) or a cell path member (`$e.not`).
  kProbe,
  kLet,
  kIf,
  kElse,
  kTrue,
  kFalse,
  kAnd,
  kOr,
  kNot,

  kLeftBrace,
  kRightBrace,
  kLeftParen,
  kRightParen,
  kLeftBracket,
  kRightBracket,
  kComma,
  kColon,
  kDot,
  kPipe,
  kAssign,  // `=`, in `let x = ...` and `--flag=value`

  kEqualEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kPlus,
  kMinus,
  kStar,

  // A Nushell operator spelled with symbols that this subset does not
  // support yet, or a spelling from other languages: `/`, `**`, `&&`, `!`.
  kUnsupportedOperator,

  // Bytes that start no token. The lexer has already reported them.
  kInvalid,
};

struct Token {
  TokenKind kind = TokenKind::kEndOfFile;
  Span span;
  // True when whitespace, a comment or the start of the file comes before
  // the token.
  bool space_before = false;
  // The decoded value of a string, the name of a variable, word or flag
  // without its `$`, `--` or `-`, and the source text of anything else.
  std::string text;
  // The value of an integer token, or 0 when it did not fit in 64 bits.
  uint64_t int_value = 0;
};

// Splits `file` into tokens and reports malformed ones (an unterminated
// string, an unknown escape, an integer that does not fit in 64 bits) to
// `diagnostics`. The result always ends with one kEndOfFile token.
std::vector<Token> Lex(const SourceFile& file, DiagnosticSink& diagnostics);

// Returns true for tokens that can name something: words and keywords.
bool IsNameToken(TokenKind kind);

}  // namespace nubpf::frontend
