#include "runtime/output_format.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace nubpf::runtime {
namespace {

TEST(OutputFormatTest, ParsesNames) {
  EXPECT_EQ(ParseOutputFormat("table"), OutputFormat::kTable);
  EXPECT_EQ(ParseOutputFormat("json"), OutputFormat::kJson);
  EXPECT_EQ(ParseOutputFormat("nuon"), OutputFormat::kNuon);
  EXPECT_EQ(ParseOutputFormat("csv"), OutputFormat::kCsv);
  EXPECT_FALSE(ParseOutputFormat("JSON").has_value());
  EXPECT_FALSE(ParseOutputFormat("yaml").has_value());
}

TEST(Utf8Test, AcceptsWellFormedSequences) {
  EXPECT_EQ(Utf8SequenceLength("a", 0), 1u);
  EXPECT_EQ(Utf8SequenceLength("\xC3\xA9", 0), 2u);          // U+00E9
  EXPECT_EQ(Utf8SequenceLength("\xE2\x82\xAC", 0), 3u);      // U+20AC
  EXPECT_EQ(Utf8SequenceLength("\xF0\x9F\x98\x80", 0), 4u);  // U+1F600
  EXPECT_EQ(Utf8SequenceLength("\xF4\x8F\xBF\xBF", 0), 4u);  // U+10FFFF
}

TEST(Utf8Test, RejectsIllFormedSequences) {
  EXPECT_EQ(Utf8SequenceLength("\x80", 0), 0u);              // continuation
  EXPECT_EQ(Utf8SequenceLength("\xC0\xAF", 0), 0u);          // overlong `/`
  EXPECT_EQ(Utf8SequenceLength("\xE0\x80\xAF", 0), 0u);      // overlong
  EXPECT_EQ(Utf8SequenceLength("\xED\xA0\x80", 0), 0u);      // U+D800
  EXPECT_EQ(Utf8SequenceLength("\xF4\x90\x80\x80", 0), 0u);  // > U+10FFFF
  EXPECT_EQ(Utf8SequenceLength("\xF5\x80\x80\x80", 0), 0u);
  EXPECT_EQ(Utf8SequenceLength("\xFF", 0), 0u);
  EXPECT_EQ(Utf8SequenceLength("\xE2\x82", 0), 0u);  // cut short
  EXPECT_EQ(Utf8SequenceLength("\xE2\x41\xAC", 0), 0u);
  EXPECT_EQ(Utf8SequenceLength("", 0), 0u);
}

TEST(JsonQuoteTest, EscapesQuoteAndBackslash) {
  EXPECT_EQ(JsonQuote(R"(say "hi" \o/)"), R"("say \"hi\" \\o/")");
}

TEST(JsonQuoteTest, EscapesControlCharacters) {
  EXPECT_EQ(JsonQuote(std::string("a\nb\tc\x01\x1f", 7)),
            R"("a\nb\tc\u0001\u001f")");
  EXPECT_EQ(JsonQuote(std::string("\0", 1)), R"("\u0000")");
}

TEST(JsonQuoteTest, KeepsWellFormedUtf8) {
  EXPECT_EQ(JsonQuote("caf\xC3\xA9 \xE2\x82\xAC"),
            "\"caf\xC3\xA9 \xE2\x82\xAC\"");
  EXPECT_EQ(JsonQuote("\x7F"), "\"\x7F\"");
}

TEST(JsonQuoteTest, ReplacesEachInvalidByte) {
  EXPECT_EQ(JsonQuote("a\xFF\xFE"
                      "b"),
            R"("a\ufffd\ufffdb")");
  EXPECT_EQ(JsonQuote("\xE2\x82"), R"("\ufffd\ufffd")");
  EXPECT_EQ(JsonQuote("\xC0\xAF"), R"("\ufffd\ufffd")");
  EXPECT_EQ(JsonQuote("\xED\xA0\x80"), R"("\ufffd\ufffd\ufffd")");
  // A valid sequence right after an invalid byte survives.
  EXPECT_EQ(JsonQuote("\xFF\xC3\xA9"), "\"\\ufffd\xC3\xA9\"");
}

TEST(JsonValueTest, PrintsIntegersExactly) {
  EXPECT_EQ(JsonValue(std::numeric_limits<uint64_t>::max()),
            "18446744073709551615");
  EXPECT_EQ(JsonValue(std::numeric_limits<int64_t>::min()),
            "-9223372036854775808");
  EXPECT_EQ(JsonValue(std::numeric_limits<int64_t>::max()),
            "9223372036854775807");
  EXPECT_EQ(JsonValue(uint64_t{0}), "0");
}

TEST(JsonValueTest, PrintsBoolsAndStrings) {
  EXPECT_EQ(JsonValue(true), "true");
  EXPECT_EQ(JsonValue(false), "false");
  EXPECT_EQ(JsonValue(std::string("x\"y")), R"("x\"y")");
}

TEST(TableTextTest, EscapesWhatWouldBreakTheLine) {
  EXPECT_EQ(TableText("plain"), "plain");
  EXPECT_EQ(TableText("a\nb"), "a\\x0ab");
  EXPECT_EQ(TableText("\x1b[31m"), "\\x1b[31m");
  EXPECT_EQ(TableText("\x7F"), "\\x7f");
  EXPECT_EQ(TableText("\xFF"
                      "ok"),
            "\\xffok");
  EXPECT_EQ(TableText("caf\xC3\xA9"), "caf\xC3\xA9");
}

TEST(TableTextTest, EscapesAtStartMiddleAndEnd) {
  EXPECT_EQ(TableText("\x01" "abc"), "\\x01abc");
  EXPECT_EQ(TableText("ab\x7F" "c"), "ab\\x7fc");
  EXPECT_EQ(TableText("abc\xE2\x82"), "abc\\xe2\\x82");
  EXPECT_EQ(TableText("\xF0\x9F\x98\x80" "a\xF0\x9F\x98\x80"),
            "\xF0\x9F\x98\x80" "a\xF0\x9F\x98\x80");
}

TEST(TableTextTest, AppendsAfterExistingText) {
  std::string out = "pid  ";
  AppendTableText(out, "a\tb");
  EXPECT_EQ(out, "pid  a\\x09b");
}

TEST(AppendDecimalTest, WritesExtremes) {
  std::string out;
  AppendDecimal(out, std::numeric_limits<uint64_t>::max());
  out += ' ';
  AppendDecimal(out, std::numeric_limits<int64_t>::min());
  out += ' ';
  AppendDecimal(out, int64_t{0});
  EXPECT_EQ(out, "18446744073709551615 -9223372036854775808 0");
}

TEST(TableValueTest, FormatsEachKind) {
  EXPECT_EQ(TableValue(std::numeric_limits<uint64_t>::max()),
            "18446744073709551615");
  EXPECT_EQ(TableValue(std::numeric_limits<int64_t>::min()),
            "-9223372036854775808");
  EXPECT_EQ(TableValue(true), "true");
  EXPECT_EQ(TableValue(std::string("a\tb")), "a\\x09b");
}

TEST(FormatInterpolatedValueTest, FormatsEachKind) {
  EXPECT_EQ(FormatInterpolatedValue(std::numeric_limits<uint64_t>::max()),
            "18446744073709551615");
  EXPECT_EQ(FormatInterpolatedValue(std::numeric_limits<int64_t>::min()),
            "-9223372036854775808");
  EXPECT_EQ(FormatInterpolatedValue(uint64_t{0}), "0");
  EXPECT_EQ(FormatInterpolatedValue(true), "true");
  EXPECT_EQ(FormatInterpolatedValue(false), "false");
}

TEST(FormatInterpolatedValueTest, KeepsStringBytesUnquoted) {
  EXPECT_EQ(FormatInterpolatedValue(std::string("bash")), "bash");
  EXPECT_EQ(FormatInterpolatedValue(std::string("say \"hi\"")), "say \"hi\"");
  EXPECT_EQ(FormatInterpolatedValue(std::string("a\tb\xFF")), "a\tb\xFF");
  EXPECT_EQ(FormatInterpolatedValue(std::string()), "");
}

TEST(ColumnWidthTest, FitsLargestValueOfEachType) {
  EXPECT_EQ(ColumnWidth(FieldType::kU8, 1), std::string("255").size());
  EXPECT_EQ(ColumnWidth(FieldType::kU16, 2), std::string("65535").size());
  EXPECT_EQ(ColumnWidth(FieldType::kU32, 4), std::string("4294967295").size());
  EXPECT_EQ(ColumnWidth(FieldType::kU64, 8),
            std::string("18446744073709551615").size());
  EXPECT_EQ(ColumnWidth(FieldType::kI8, 1), std::string("-128").size());
  EXPECT_EQ(ColumnWidth(FieldType::kI16, 2), std::string("-32768").size());
  EXPECT_EQ(ColumnWidth(FieldType::kI32, 4), std::string("-2147483648").size());
  EXPECT_EQ(ColumnWidth(FieldType::kI64, 8),
            std::string("-9223372036854775808").size());
  EXPECT_EQ(ColumnWidth(FieldType::kBool, 1), std::string("false").size());
}

TEST(ColumnWidthTest, StringsUseSizeUpToACap) {
  EXPECT_EQ(ColumnWidth(FieldType::kString, 16), 15u);
  EXPECT_EQ(ColumnWidth(FieldType::kString, 1), 1u);
  EXPECT_EQ(ColumnWidth(FieldType::kString, 256), 32u);
}

TEST(PadCellTest, AlignsByDisplayWidth) {
  EXPECT_EQ(PadCell("42", 5, /*right_aligned=*/true), "   42");
  EXPECT_EQ(PadCell("ab", 5, /*right_aligned=*/false), "ab   ");
  EXPECT_EQ(PadCell("caf\xC3\xA9", 5, /*right_aligned=*/false), "caf\xC3\xA9 ");
  EXPECT_EQ(PadCell("toolong", 3, /*right_aligned=*/false), "toolong");
}

TEST(PadCellTest, PadsInPlaceAfterEarlierCells) {
  std::string out = "x  42";
  PadCellInPlace(out, 3, 5, /*right_aligned=*/true);
  EXPECT_EQ(out, "x     42");
  out += "  caf\xC3\xA9";
  PadCellInPlace(out, 10, 5, /*right_aligned=*/false);
  EXPECT_EQ(out, "x     42  caf\xC3\xA9 ");
  out += "  toolong";
  PadCellInPlace(out, 18, 3, /*right_aligned=*/true);
  EXPECT_EQ(out, "x     42  caf\xC3\xA9   toolong");
}

TEST(DisplayWidthTest, CountsCodePoints) {
  EXPECT_EQ(DisplayWidth(""), 0u);
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("\xE2\x82\xAC"
                         "1"),
            2u);
}

}  // namespace
}  // namespace nubpf::runtime
