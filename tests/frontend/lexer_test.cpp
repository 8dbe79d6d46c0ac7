#include "frontend/lexer.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace nubpf::frontend {
namespace {

struct LexOutput {
  std::vector<Token> tokens;
  std::string errors;  // RenderCompact of every diagnostic
};

LexOutput LexText(const std::string& text) {
  SourceFile file("lex.nu", text);
  DiagnosticSink diagnostics;
  LexOutput output;
  output.tokens = Lex(file, diagnostics);
  std::ostringstream errors;
  for (const Diagnostic& diagnostic : diagnostics.diagnostics()) {
    RenderCompact(file, diagnostic, errors);
  }
  output.errors = errors.str();
  return output;
}

std::vector<TokenKind> Kinds(const std::vector<Token>& tokens) {
  std::vector<TokenKind> kinds;
  for (const Token& token : tokens) kinds.push_back(token.kind);
  return kinds;
}

using K = TokenKind;

TEST(Lexer, ProbeLine) {
  LexOutput out = LexText(
      "probe tracepoint:raw_syscalls:sys_enter {|e| $e.comm | count }  # "
      "hot\n");
  EXPECT_EQ(out.errors, "");
  std::vector<K> expected = {
      K::kProbe, K::kProbeTarget, K::kLeftBrace, K::kPipe,     K::kWord,
      K::kPipe,  K::kVariable,    K::kDot,       K::kWord,     K::kPipe,
      K::kWord,  K::kRightBrace,  K::kNewline,   K::kEndOfFile};
  EXPECT_EQ(Kinds(out.tokens), expected);
  EXPECT_EQ(out.tokens[1].text, "tracepoint:raw_syscalls:sys_enter");
  EXPECT_EQ(out.tokens[6].text, "e");
  EXPECT_EQ(out.tokens[8].text, "comm");
}

TEST(Lexer, ProbeTargetIsRaw) {
  LexOutput out = LexText(
      "probe uprobe:/bin/bash:readline{ }\nprobe kprobe:do_sys_open+0x10 {}\n"
      "probe profile:hz:99 {}\n");
  EXPECT_EQ(out.errors, "");
  ASSERT_EQ(out.tokens[1].kind, K::kProbeTarget);
  EXPECT_EQ(out.tokens[1].text, "uprobe:/bin/bash:readline");
  EXPECT_EQ(out.tokens[2].kind, K::kLeftBrace);
  ASSERT_EQ(out.tokens[6].kind, K::kProbeTarget);
  EXPECT_EQ(out.tokens[6].text, "kprobe:do_sys_open+0x10");
  EXPECT_EQ(out.tokens[11].text, "profile:hz:99");
}

TEST(Lexer, ProbeTargetOnlyAtStatementStart) {
  LexOutput out = LexText("$e.probe | count\nprobe\n");
  EXPECT_EQ(out.errors, "");
  std::vector<K> expected = {K::kVariable, K::kDot,     K::kProbe,
                             K::kPipe,     K::kWord,    K::kNewline,
                             K::kProbe,    K::kNewline, K::kEndOfFile};
  EXPECT_EQ(Kinds(out.tokens), expected);
}

TEST(Lexer, ProbeTargetNeedsWhitespace) {
  LexOutput out = LexText("probe: 1\nprobe{\n");
  std::vector<K> expected = {K::kProbe,   K::kColon,    K::kInt,
                             K::kNewline, K::kProbe,    K::kLeftBrace,
                             K::kNewline, K::kEndOfFile};
  EXPECT_EQ(Kinds(out.tokens), expected);
}

TEST(Lexer, CommentsAndSeparators) {
  LexOutput out = LexText("# whole line\ncount; count # trailing\n");
  std::vector<K> expected = {K::kNewline, K::kWord,    K::kSemicolon,
                             K::kWord,    K::kNewline, K::kEndOfFile};
  EXPECT_EQ(Kinds(out.tokens), expected);
}

TEST(Lexer, SpaceBefore) {
  LexOutput out = LexText("$e.pid==1 + 2");
  ASSERT_EQ(out.tokens.size(), 8u);
  EXPECT_TRUE(out.tokens[0].space_before);   // start of file
  EXPECT_FALSE(out.tokens[1].space_before);  // .
  EXPECT_FALSE(out.tokens[3].space_before);  // ==
  EXPECT_FALSE(out.tokens[4].space_before);  // 1
  EXPECT_TRUE(out.tokens[5].space_before);   // +
  EXPECT_TRUE(out.tokens[6].space_before);   // 2
}

TEST(Lexer, Integers) {
  LexOutput out =
      LexText("42 0x2a 0X2A 0o52 0b101010 1_000_000 0 18446744073709551615");
  EXPECT_EQ(out.errors, "");
  std::vector<uint64_t> values;
  for (const Token& token : out.tokens) {
    if (token.kind == K::kInt) values.push_back(token.int_value);
  }
  std::vector<uint64_t> expected = {42, 42,      42, 42,
                                    42, 1000000, 0,  18446744073709551615ull};
  EXPECT_EQ(values, expected);
  EXPECT_EQ(out.tokens[1].text, "0x2a");
}

TEST(Lexer, IntegerTooLarge) {
  LexOutput out = LexText("18446744073709551616");
  EXPECT_EQ(out.errors,
            "lex.nu:1:1: error: integer literal `18446744073709551616` does "
            "not fit in 64 bits\n");
  EXPECT_EQ(out.tokens[0].int_value, 0u);
}

TEST(Lexer, InvalidIntegers) {
  EXPECT_EQ(LexText("0x").errors,
            "lex.nu:1:1: error: invalid integer literal `0x`\n");
  EXPECT_EQ(LexText("0b102").errors,
            "lex.nu:1:1: error: invalid integer literal `0b102`\n");
  EXPECT_EQ(LexText("0x_1").errors,
            "lex.nu:1:1: error: invalid integer literal `0x_1`\n");
  EXPECT_EQ(LexText("10xyz").errors,
            "lex.nu:1:1: error: unknown unit `xyz` in `10xyz`\n"
            "lex.nu:1:1: help: durations take `ns`, `us`, `ms`, `sec`, `min`, "
            "`hr`, `day` or `wk`, and file sizes `b`, `kb`, `mb`, `gb`, `tb`, "
            "`pb`, `eb`, `kib`, `mib`, `gib`, `tib`, `pib` or `eib`\n");
}

TEST(Lexer, DurationsAndFileSizes) {
  struct Case {
    const char* text;
    uint64_t value;
    const char* unit;
  };
  const Case cases[] = {
      {"1ns", 1, "ns"},
      {"2us", 2000, "us"},
      {"3\xC2\xB5s", 3000, "us"},
      {"3\xCE\xBCs", 3000, "us"},
      {"5ms", 5000000, "ms"},
      {"1_000ms", 1000000000, "ms"},
      {"1sec", 1000000000, "sec"},
      {"1.5sec", 1500000000, "sec"},
      {"1.25sec", 1250000000, "sec"},
      {"2min", 120000000000, "min"},
      {"1hr", 3600000000000, "hr"},
      {"1day", 86400000000000, "day"},
      {"1wk", 604800000000000, "wk"},
      {"10b", 10, "b"},
      {"10kb", 10000, "kb"},
      {"10KB", 10000, "kb"},
      {"1mb", 1000000, "mb"},
      {"1gb", 1000000000, "gb"},
      {"1tb", 1000000000000, "tb"},
      {"1pb", 1000000000000000, "pb"},
      {"1eb", 1000000000000000000, "eb"},
      {"4kib", 4096, "kib"},
      {"4KiB", 4096, "kib"},
      {"1.5kib", 1536, "kib"},
      {"1mib", 1048576, "mib"},
      {"1gib", 1073741824, "gib"},
      {"1tib", 1099511627776, "tib"},
      {"1pib", 1125899906842624, "pib"},
      {"7eib", 7 * 1152921504606846976ull, "eib"},
      {"9223372036854775807ns", 9223372036854775807ull, "ns"},
  };
  for (const Case& c : cases) {
    LexOutput out = LexText(c.text);
    EXPECT_EQ(out.errors, "") << c.text;
    ASSERT_EQ(out.tokens[0].kind, K::kInt) << c.text;
    EXPECT_EQ(out.tokens[0].int_value, c.value) << c.text;
    EXPECT_EQ(out.tokens[0].unit, c.unit) << c.text;
    EXPECT_EQ(out.tokens[1].kind, K::kEndOfFile) << c.text;
  }
}

TEST(Lexer, UnitErrors) {
  // Durations are case-sensitive in Nushell; file sizes are not.
  EXPECT_NE(LexText("1SEC").errors.find("unknown unit `SEC`"),
            std::string::npos);
  EXPECT_EQ(LexText("1.5ns").errors,
            "lex.nu:1:1: error: duration `1.5ns` is not a whole number of "
            "nanoseconds\n"
            "lex.nu:1:1: help: BPF programs have no floating point; write the "
            "value with a smaller unit\n");
  EXPECT_EQ(LexText("8eib").errors,
            "lex.nu:1:1: error: file size `8eib` does not fit in 64 bits\n"
            "lex.nu:1:1: help: the largest file size is "
            "9223372036854775807b, 1 byte less than 8eib\n");
  EXPECT_EQ(LexText("9223372036854775808ns").errors,
            "lex.nu:1:1: error: duration `9223372036854775808ns` does not fit "
            "in 64 bits\n"
            "lex.nu:1:1: help: the longest duration is 9223372036854775807ns, "
            "about 292 years\n");
  EXPECT_NE(LexText("99999999999999999999999sec").errors.find("does not fit"),
            std::string::npos);
}

TEST(Lexer, Floats) {
  for (const char* text : {"1.5", "0.25", "4.", "1e10", "1E+3", "2.5e-3"}) {
    LexOutput out = LexText(text);
    EXPECT_EQ(out.errors, "") << text;
    ASSERT_EQ(out.tokens.size(), 2u) << text;
    EXPECT_EQ(out.tokens[0].kind, K::kFloat) << text;
  }
}

TEST(Lexer, NumbersInCellPathsAndRanges) {
  // `$l.0.1` is two members, and `1..5` a range, not floats.
  LexOutput out = LexText("$l.0.1 1..5 $e.1st");
  EXPECT_EQ(out.errors, "");
  std::vector<K> expected = {K::kVariable, K::kDot, K::kInt,    K::kDot,
                             K::kInt,      K::kInt, K::kDotDot, K::kInt,
                             K::kVariable, K::kDot, K::kWord,   K::kEndOfFile};
  EXPECT_EQ(Kinds(out.tokens), expected);
  EXPECT_EQ(out.tokens[4].int_value, 1u);
  EXPECT_EQ(out.tokens[10].text, "1st");
}

TEST(Lexer, DoubleQuotedEscapes) {
  LexOutput out = LexText(R"("a\nb\tc\\d\"e\rf\0g\'h\/i\u{e9}\u{1F600}")");
  EXPECT_EQ(out.errors, "");
  ASSERT_EQ(out.tokens[0].kind, K::kString);
  static const char kExpected[] =
      "a\nb\tc\\d\"e\rf\0g'h/i\xC3\xA9\xF0\x9F\x98\x80";
  EXPECT_EQ(out.tokens[0].text, std::string(kExpected, sizeof(kExpected) - 1));
}

TEST(Lexer, MultiLineString) {
  LexOutput out = LexText("\"one\ntwo\"");
  EXPECT_EQ(out.errors, "");
  EXPECT_EQ(out.tokens[0].text, "one\ntwo");
  EXPECT_EQ(out.tokens[1].kind, K::kEndOfFile);
}

TEST(Lexer, UnknownEscape) {
  LexOutput out = LexText(R"(x "a\qb")");
  EXPECT_EQ(out.errors,
            "lex.nu:1:5: error: unknown escape `\\q` in a string\n"
            "lex.nu:1:5: help: the escapes are `\\n`, `\\t`, `\\r`, `\\0`, "
            "`\\\"`, `\\'`, `\\(`, `\\xHH`, `\\u{...}` and Nushell's others, "
            "so a backslash is written `\\\\`\n");
  EXPECT_EQ(out.tokens[1].kind, K::kString);
}

TEST(Lexer, InvalidUnicodeEscapes) {
  for (const char* text : {R"("\u{}")", R"("\u{110000}")", R"("\u{d800}")",
                           R"("\u{1234567}")", R"("\u41")", R"("\u{41")"}) {
    LexOutput out = LexText(text);
    EXPECT_NE(out.errors.find("error: invalid unicode escape"),
              std::string::npos)
        << text;
  }
}

TEST(Lexer, UnterminatedStrings) {
  EXPECT_EQ(LexText("emit \"abc").errors,
            "lex.nu:1:6: error: missing closing `\"` for this string\n");
  EXPECT_EQ(LexText("emit 'abc").errors,
            "lex.nu:1:6: error: missing closing `'` for this string\n");
  EXPECT_EQ(LexText("\"abc\\").errors,
            "lex.nu:1:5: error: unknown escape `\\` in a string\n"
            "lex.nu:1:5: help: the escapes are `\\n`, `\\t`, `\\r`, `\\0`, "
            "`\\\"`, `\\'`, `\\(`, `\\xHH`, `\\u{...}` and Nushell's others, "
            "so a backslash is written `\\\\`\n"
            "lex.nu:1:1: error: missing closing `\"` for this string\n");
}

TEST(Lexer, RawStrings) {
  LexOutput out = LexText(R"('C:\dir\n' `a b` r#'it's "raw"'# r##'a'#b'##)");
  EXPECT_EQ(out.errors, "");
  EXPECT_EQ(out.tokens[0].text, "C:\\dir\\n");
  EXPECT_EQ(out.tokens[1].text, "a b");
  EXPECT_EQ(out.tokens[2].kind, K::kString);
  EXPECT_EQ(out.tokens[2].text, "it's \"raw\"");
  EXPECT_EQ(out.tokens[3].text, "a'#b");
}

TEST(Lexer, UnterminatedRawString) {
  EXPECT_EQ(LexText("r#'abc'").errors,
            "lex.nu:1:1: error: missing closing `'#` for this raw string\n");
  EXPECT_EQ(LexText("r#abc").errors,
            "lex.nu:1:1: error: expected `'` to start the raw string\n"
            "lex.nu:1:1: help: write a raw string as `r#'text'#`\n");
}

TEST(Lexer, MoreEscapes) {
  LexOutput out = LexText(R"("\(x\) \{\} \$ \x41 \e")");
  EXPECT_EQ(out.errors, "");
  EXPECT_EQ(out.tokens[0].text, "(x) {} $ A \x1B");
  EXPECT_EQ(LexText(R"("\x4")").errors,
            "lex.nu:1:2: error: invalid hex escape `\\x`\n"
            "lex.nu:1:2: help: write exactly two hex digits, as in `\\x41`\n");
}

TEST(Lexer, VariablesWordsAndFlags) {
  LexOutput out = LexText("$min_bytes str starts-with --by -l --min-bytes=1");
  EXPECT_EQ(out.errors, "");
  std::vector<K> expected = {K::kVariable, K::kWord,      K::kWord,
                             K::kFlag,     K::kShortFlag, K::kFlag,
                             K::kAssign,   K::kInt,       K::kEndOfFile};
  EXPECT_EQ(Kinds(out.tokens), expected);
  EXPECT_EQ(out.tokens[0].text, "min_bytes");
  EXPECT_EQ(out.tokens[2].text, "starts-with");
  EXPECT_EQ(out.tokens[3].text, "by");
  EXPECT_EQ(out.tokens[4].text, "l");
  EXPECT_EQ(out.tokens[5].text, "min-bytes");
}

TEST(Lexer, MinusForms) {
  // `-1` and `-$x` are a minus against a value; `a -b` has a short flag.
  LexOutput out = LexText("-1 - $x -$y a -b");
  std::vector<K> expected = {K::kMinus,    K::kInt,       K::kMinus,
                             K::kVariable, K::kMinus,     K::kVariable,
                             K::kWord,     K::kShortFlag, K::kEndOfFile};
  EXPECT_EQ(Kinds(out.tokens), expected);
}

TEST(Lexer, Keywords) {
  LexOutput out = LexText("let if else true false null and or not probe-x");
  std::vector<K> expected = {K::kLet,   K::kIf,   K::kElse,     K::kTrue,
                             K::kFalse, K::kNull, K::kAnd,      K::kOr,
                             K::kNot,   K::kWord, K::kEndOfFile};
  EXPECT_EQ(Kinds(out.tokens), expected);
}

TEST(Lexer, Operators) {
  LexOutput out = LexText(
      "== != < <= > >= + - * / // ** =~ !~ = | , : . ; ( ) [ ] { } ? ^ => "
      ".. ..< ..= ... += -= *= /=");
  EXPECT_EQ(out.errors, "");
  std::vector<K> expected = {
      K::kEqualEqual,  K::kNotEqual,      K::kLess,        K::kLessEqual,
      K::kGreater,     K::kGreaterEqual,  K::kPlus,        K::kMinus,
      K::kStar,        K::kSlash,         K::kSlashSlash,  K::kStarStar,
      K::kRegexMatch,  K::kNotRegexMatch, K::kAssign,      K::kPipe,
      K::kComma,       K::kColon,         K::kDot,         K::kSemicolon,
      K::kLeftParen,   K::kRightParen,    K::kLeftBracket, K::kRightBracket,
      K::kLeftBrace,   K::kRightBrace,    K::kQuestion,    K::kCaret,
      K::kFatArrow,    K::kDotDot,        K::kDotDotLess,  K::kDotDotEqual,
      K::kSpread,      K::kPlusAssign,    K::kMinusAssign, K::kStarAssign,
      K::kSlashAssign, K::kEndOfFile};
  EXPECT_EQ(Kinds(out.tokens), expected);
}

TEST(Lexer, UnsupportedOperators) {
  LexOutput out = LexText("&& || ! & ++ ++=");
  EXPECT_EQ(out.errors, "");
  for (size_t i = 0; i + 1 < out.tokens.size(); ++i) {
    EXPECT_EQ(out.tokens[i].kind, K::kUnsupportedOperator) << i;
  }
  EXPECT_EQ(out.tokens.size(), 7u);
  EXPECT_EQ(out.tokens[5].text, "++=");
}

TEST(Lexer, InvalidCharactersReportedOnce) {
  LexOutput out = LexText("count @@@ \xC3\xA9t\xC3\xA9");
  EXPECT_EQ(out.errors,
            "lex.nu:1:7: error: unexpected characters `@@@`\n"
            "lex.nu:1:7: help: names are ASCII letters, digits, `_` and `-`, "
            "so quote other text as a string\n"
            "lex.nu:1:11: error: unexpected characters `\\xc3\\xa9`\n"
            "lex.nu:1:11: help: names are ASCII letters, digits, `_` and `-`, "
            "so quote other text as a string\n"
            "lex.nu:1:14: error: unexpected characters `\\xc3\\xa9`\n"
            "lex.nu:1:14: help: names are ASCII letters, digits, `_` and `-`, "
            "so quote other text as a string\n");
  EXPECT_EQ(out.tokens[1].kind, K::kInvalid);
}

TEST(Lexer, DollarWithoutName) {
  LexOutput out = LexText("emit $ x");
  EXPECT_EQ(out.errors,
            "lex.nu:1:6: error: expected a variable name after `$`\n"
            "lex.nu:1:6: help: variable names are letters, digits and `_`, as "
            "in `$e` or `$min_bytes`\n");
}

TEST(Lexer, Interpolation) {
  LexOutput out = LexText("print $\"pid=($e.pid) \\\"q\\\" \\(x)\" next");
  EXPECT_EQ(out.errors, "");
  std::vector<K> expected = {K::kWord,
                             K::kInterpolationStart,
                             K::kInterpolationText,
                             K::kLeftParen,
                             K::kVariable,
                             K::kDot,
                             K::kWord,
                             K::kRightParen,
                             K::kInterpolationText,
                             K::kInterpolationEnd,
                             K::kWord,
                             K::kEndOfFile};
  EXPECT_EQ(Kinds(out.tokens), expected);
  EXPECT_EQ(out.tokens[2].text, "pid=");
  EXPECT_EQ(out.tokens[8].text, " \"q\" (x)");
  EXPECT_EQ(out.tokens[10].text, "next");
}

TEST(Lexer, SingleQuotedInterpolationHasNoEscapes) {
  LexOutput out = LexText("$'a\\n(1 + (2))b'");
  EXPECT_EQ(out.errors, "");
  std::vector<K> expected = {K::kInterpolationStart,
                             K::kInterpolationText,
                             K::kLeftParen,
                             K::kInt,
                             K::kPlus,
                             K::kLeftParen,
                             K::kInt,
                             K::kRightParen,
                             K::kRightParen,
                             K::kInterpolationText,
                             K::kInterpolationEnd,
                             K::kEndOfFile};
  EXPECT_EQ(Kinds(out.tokens), expected);
  EXPECT_EQ(out.tokens[1].text, "a\\n");
}

TEST(Lexer, NestedAndUnterminatedInterpolation) {
  LexOutput nested = LexText("$\"a($\"b($x)\")\"");
  EXPECT_EQ(nested.errors, "");
  EXPECT_EQ(nested.tokens.size(), 12u);

  LexOutput open = LexText("$\"a($\"b");
  EXPECT_EQ(open.errors,
            "lex.nu:1:5: error: missing closing `\"` for this interpolated "
            "string\n");
  EXPECT_EQ(open.tokens.back().kind, K::kEndOfFile);
}

TEST(Lexer, Spans) {
  LexOutput out = LexText("let x = \"ab\"");
  EXPECT_EQ(out.tokens[3].span.begin, 8u);
  EXPECT_EQ(out.tokens[3].span.end, 12u);
  EXPECT_EQ(out.tokens[4].span.begin, 12u);
  EXPECT_EQ(out.tokens[4].span.end, 12u);
}

}  // namespace
}  // namespace nubpf::frontend
