#include "runtime/print_template.h"

#include <gtest/gtest.h>

#include <string>

namespace nubpf::runtime {
namespace {

// Returns the error message of parsing `text`, or "" when it parses.
std::string TemplateError(std::string_view text, size_t field_count) {
  ErrorOr<PrintTemplate> print = ParsePrintTemplate(text, field_count);
  if (print.ok()) {
    return "";
  }
  return print.error().message;
}

TEST(PrintTemplateTest, ParsesTextAndFields) {
  ErrorOr<PrintTemplate> print = ParsePrintTemplate("{0} pid={1}", 2);
  ASSERT_TRUE(print.ok()) << print.error().message;
  ASSERT_EQ(print->parts.size(), 3u);
  EXPECT_EQ(print->parts[0], PrintPart(PrintField{0}));
  EXPECT_EQ(print->parts[1], PrintPart(std::string(" pid=")));
  EXPECT_EQ(print->parts[2], PrintPart(PrintField{1}));
}

TEST(PrintTemplateTest, ResolvesEscapesAndBraces) {
  ErrorOr<PrintTemplate> print =
      ParsePrintTemplate(R"(a\tb\nc\\d {{x}} {0}}})", 1);
  ASSERT_TRUE(print.ok()) << print.error().message;
  ASSERT_EQ(print->parts.size(), 3u);
  EXPECT_EQ(print->parts[0], PrintPart(std::string("a\tb\nc\\d {x} ")));
  EXPECT_EQ(print->parts[1], PrintPart(PrintField{0}));
  EXPECT_EQ(print->parts[2], PrintPart(std::string("}")));
}

TEST(PrintTemplateTest, AcceptsEmptyAndPlainText) {
  ErrorOr<PrintTemplate> empty = ParsePrintTemplate("", 0);
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_TRUE(empty->parts.empty());

  ErrorOr<PrintTemplate> plain = ParsePrintTemplate("hello", 0);
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  ASSERT_EQ(plain->parts.size(), 1u);
  EXPECT_EQ(plain->parts[0], PrintPart(std::string("hello")));
}

TEST(PrintTemplateTest, KeepsAdjacentAndRepeatedFields) {
  ErrorOr<PrintTemplate> print = ParsePrintTemplate("{1}{0}{1}", 2);
  ASSERT_TRUE(print.ok()) << print.error().message;
  ASSERT_EQ(print->parts.size(), 3u);
  EXPECT_EQ(print->parts[0], PrintPart(PrintField{1}));
  EXPECT_EQ(print->parts[1], PrintPart(PrintField{0}));
  EXPECT_EQ(print->parts[2], PrintPart(PrintField{1}));
}

TEST(PrintTemplateTest, RejectsFieldPastTheEvent) {
  std::string error = TemplateError("{0} pid={2}", 2);
  EXPECT_NE(error.find("`{2}` at offset 8 refers to field 2, but the event "
                       "has 2 fields"),
            std::string::npos)
      << error;

  error = TemplateError("{0}", 0);
  EXPECT_NE(error.find("the event has no fields"), std::string::npos) << error;

  error = TemplateError("{99999999999999999999999}", 1);
  EXPECT_NE(error.find("refers to field 99999999999999999999999, but the "
                       "event has 1 field"),
            std::string::npos)
      << error;
}

TEST(PrintTemplateTest, RejectsUnterminatedBrace) {
  std::string error = TemplateError("pid={", 1);
  EXPECT_NE(error.find("unterminated `{` at offset 4; a literal `{` is "
                       "written `{{`"),
            std::string::npos)
      << error;

  error = TemplateError("{0", 1);
  EXPECT_NE(error.find("unterminated `{` at offset 0"), std::string::npos)
      << error;

  error = TemplateError("{0 {1}", 2);
  EXPECT_NE(error.find("unterminated `{` at offset 0"), std::string::npos)
      << error;
}

TEST(PrintTemplateTest, RejectsBraceWithoutIndex) {
  std::string error = TemplateError("a{}", 1);
  EXPECT_NE(error.find("`{}` at offset 1 is not a field reference `{N}`"),
            std::string::npos)
      << error;

  error = TemplateError("{comm}", 1);
  EXPECT_NE(error.find("`{comm}` at offset 0 is not a field reference"),
            std::string::npos)
      << error;

  error = TemplateError("{-1}", 1);
  EXPECT_NE(error.find("`{-1}` at offset 0"), std::string::npos) << error;
}

TEST(PrintTemplateTest, RejectsLoneClosingBrace) {
  std::string error = TemplateError("a}b", 0);
  EXPECT_NE(error.find("lone `}` at offset 1; a literal `}` is written `}}`"),
            std::string::npos)
      << error;

  error = TemplateError("}}}", 0);
  EXPECT_NE(error.find("lone `}` at offset 2"), std::string::npos) << error;
}

TEST(PrintTemplateTest, RejectsUnknownEscape) {
  std::string error = TemplateError(R"(a\"b)", 0);
  EXPECT_NE(error.find(R"(unknown escape `\"` at offset 1; the escapes are )"
                       R"(`\t`, `\n` and `\\`)"),
            std::string::npos)
      << error;

  error = TemplateError(R"(\r)", 0);
  EXPECT_NE(error.find(R"(unknown escape `\r` at offset 0)"), std::string::npos)
      << error;

  error = TemplateError("\\\x01", 0);
  EXPECT_NE(error.find("`\\` followed by byte 0x01 at offset 0"),
            std::string::npos)
      << error;

  error = TemplateError(R"(end\)", 0);
  EXPECT_NE(error.find(R"(the template ends in a lone `\` at offset 3)"),
            std::string::npos)
      << error;
}

}  // namespace
}  // namespace nubpf::runtime
