// Patterns for `=~` that are plain text, and the constructs that are not.

#include "compiler/literal_regex.h"

#include "gtest/gtest.h"

namespace nubpf::compiler {
namespace {

struct RegexCase {
  const char* pattern;
  LiteralSearch search;
  const char* text;
  bool ignore_case;
};

TEST(LiteralRegex, ReadsPlainText) {
  const RegexCase cases[] = {
      {"abc", LiteralSearch::kContains, "abc", false},
      {"^abc", LiteralSearch::kStartsWith, "abc", false},
      {"abc$", LiteralSearch::kEndsWith, "abc", false},
      {"^abc$", LiteralSearch::kEquals, "abc", false},
      {"^$", LiteralSearch::kEquals, "", false},
      {"", LiteralSearch::kContains, "", false},
      {"a\\.c", LiteralSearch::kContains, "a.c", false},
      {"a\\$", LiteralSearch::kContains, "a$", false},
      {"a\\\\$", LiteralSearch::kEndsWith, "a\\", false},
      {"\\(x\\)\\*", LiteralSearch::kContains, "(x)*", false},
      {"a-b#c", LiteralSearch::kContains, "a-b#c", false},
      {"a\\tb", LiteralSearch::kContains, "a\tb", false},
      {"(?i)^Ab", LiteralSearch::kStartsWith, "Ab", true},
  };
  for (const RegexCase& test : cases) {
    std::string unsupported;
    std::optional<LiteralRegex> regex = ParseLiteralRegex(test.pattern, &unsupported);
    ASSERT_TRUE(regex) << test.pattern << ": " << unsupported;
    EXPECT_EQ(regex->search, test.search) << test.pattern;
    EXPECT_EQ(regex->text, test.text) << test.pattern;
    EXPECT_EQ(regex->ignore_case, test.ignore_case) << test.pattern;
  }
}

TEST(LiteralRegex, NamesFirstUnsupportedConstruct) {
  const std::pair<const char*, const char*> cases[] = {
      {"a.c", "`.`"},      {"ab*", "`*`"},    {"a|b", "`|`"},
      {"[ab]", "`[`"},     {"\\d", "`\\d`"},  {"x$$", "`$`"},
      {"a\\", "`\\` at the end"}, {"(?x)a", "`(`"}, {"^^a", "`^`"},
  };
  for (const auto& [pattern, construct] : cases) {
    std::string unsupported;
    EXPECT_FALSE(ParseLiteralRegex(pattern, &unsupported)) << pattern;
    EXPECT_EQ(unsupported, construct) << pattern;
  }
}

TEST(LiteralRegex, MatchesAsProbeDoes) {
  std::string unsupported;
  LiteralRegex starts = *ParseLiteralRegex("(?i)^BA", &unsupported);
  EXPECT_TRUE(MatchesLiteralRegex(starts, "bash"));
  EXPECT_FALSE(MatchesLiteralRegex(starts, "abash"));
  LiteralRegex equals = *ParseLiteralRegex("^sh$", &unsupported);
  EXPECT_TRUE(MatchesLiteralRegex(equals, "sh"));
  EXPECT_FALSE(MatchesLiteralRegex(equals, "bash"));
  LiteralRegex ends = *ParseLiteralRegex("sh$", &unsupported);
  EXPECT_TRUE(MatchesLiteralRegex(ends, "bash"));
  EXPECT_FALSE(MatchesLiteralRegex(ends, "h"));
}

}  // namespace
}  // namespace nubpf::compiler
