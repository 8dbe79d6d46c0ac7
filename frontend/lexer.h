// The lexer: splits a probe file into tokens for the parser.
//
//   probe tracepoint:syscalls:sys_enter_read {|e| $e.comm | count }  # hot
//
// lexes to `probe`, a probe target, `{`, `|`, word `e`, `|`, variable `e`,
// `.`, word `comm`, `|`, word `count`, `}`, a newline and the end of the
// file. Comments are dropped. Each token records whether whitespace comes
// before it, because Nushell needs spaces around operators and none inside a
// cell path, and the parser checks both.
//
// An interpolated string `$"a=($x)"` lexes to its start, text `a=`, `(`,
// variable `x`, `)` and its end, so the parser reads the expressions in it
// as it reads any other.
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

  kInt,          // 42, 0x2a, 0o52, 0b101010, 1_000, 5ms, 4kib
  kFloat,        // 1.5, 2e3: valid Nushell that a probe cannot compute
  kString,       // "text" with escapes, 'raw text', `raw text`, r#'raw'#
  kVariable,     // $name
  kWord,         // count, str, starts-with, sys_enter_openat
  kFlag,         // --by
  kShortFlag,    // -l
  kProbeTarget,  // the raw word after `probe`, `bpf_probe`, `bpf_tracepoint`

  // Pieces of `$"..."` and `$'...'`: the start (`$"`), runs of text between
  // the expressions, and the closing quote. Each expression in between is
  // ordinary tokens from `(` to the matching `)`.
  kInterpolationStart,
  kInterpolationText,
  kInterpolationEnd,

  // Keywords. A keyword still reads as a name where the grammar needs one,
  // as in a record key (`{if: 1}`) or a cell path member (`$e.not`). The
  // other Nushell keywords (`match`, `for`, `def`...) are words that the
  // parser recognizes where a statement starts.
  kProbe,
  kLet,
  kIf,
  kElse,
  kTrue,
  kFalse,
  kNull,
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
  kAssign,       // `=`, in `let x = ...`, `$x = ...` and `--flag=value`
  kQuestion,     // `?`, in `$r.a?` and `def f [a?: int]`
  kCaret,        // `^`, which starts an external command: `^ls`
  kFatArrow,     // `=>`, in match arms
  kDotDot,       // `..`
  kDotDotLess,   // `..<`
  kDotDotEqual,  // `..=`
  kSpread,       // `...`

  kEqualEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kSlashSlash,
  kStarStar,
  kRegexMatch,     // =~
  kNotRegexMatch,  // !~

  kPlusAssign,   // +=
  kMinusAssign,  // -=
  kStarAssign,   // *=
  kSlashAssign,  // /=

  // `++` and `++=`, which a probe cannot run, and spellings from other
  // languages that Nushell does not have: `&&`, `||`, `!`, `&`, `--`.
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
  // The decoded value of a string or interpolation text, the name of a
  // variable, word or flag without its `$`, `--` or `-`, and the source text
  // of anything else.
  std::string text;
  // The value of an integer token, durations in nanoseconds and file sizes
  // in bytes, or 0 when the literal was invalid.
  uint64_t int_value = 0;
  // The unit of a duration or file size, lowercase (`ms`, `kib`); empty for
  // plain integers.
  std::string unit;
  // Set on the kEndOfFile token when the lexer reported a string that runs
  // to the end of the file. The closing brackets the string hid are then no
  // news, and the parser does not report them.
  bool after_unterminated_string = false;
};

// Splits `file` into tokens and reports malformed ones (an unterminated
// string, an unknown escape, an integer that does not fit in 64 bits, an
// unknown unit) to `diagnostics`. The result always ends with one
// kEndOfFile token.
std::vector<Token> Lex(const SourceFile& file, DiagnosticSink& diagnostics);

// Returns true for tokens that can name something: words and keywords.
bool IsNameToken(TokenKind kind);

}  // namespace nubpf::frontend
