// Wildcard patterns that name several functions or USDT probes.

#include "compiler/glob.h"

#include "gtest/gtest.h"

namespace nubpf::compiler {
namespace {

struct GlobCase {
  const char* pattern;
  const char* text;
  bool matches;
};

TEST(Glob, MatchesStarAndQuestionMark) {
  const GlobCase cases[] = {
      {"readline", "readline", true},
      {"readline", "readlines", false},
      {"read*", "read", true},
      {"read*", "readline", true},
      {"read*", "rea", false},
      {"*line", "readline", true},
      {"*line", "readlines", false},
      {"r*d*e", "readline", true},
      {"r*d*e", "readlin", false},
      {"read_???", "read_one", true},
      {"read_???", "read_two", true},
      {"read_???", "read_three", false},
      {"?", "", false},
      {"*", "", true},
      {"", "", true},
      {"", "x", false},
      {"a*b?", "axbyb", false},
      {"a*b?", "axbybz", true},
      {"**a**", "xxaxx", true},
      {"*a*a*a", "aaaa", true},
      {"*a*a*a", "aab", false},
      {"a*", "a*b", true},
      {"*.c", "*.c", true},
      {"a*c", "a*bc", true},
  };
  for (const GlobCase& test : cases) {
    EXPECT_EQ(GlobMatch(test.pattern, test.text), test.matches)
        << "`" << test.pattern << "` on \"" << test.text << "\"";
  }
}

TEST(Glob, TreatsOtherCharactersLiterally) {
  EXPECT_TRUE(GlobMatch("a[1]", "a[1]"));
  EXPECT_FALSE(GlobMatch("a[12]", "a1"));
  EXPECT_TRUE(GlobMatch("a\\b", "a\\b"));
  EXPECT_TRUE(GlobMatch("operator+", "operator+"));
}

TEST(Glob, FindsWildcards) {
  EXPECT_TRUE(HasWildcard("read*"));
  EXPECT_TRUE(HasWildcard("read_?"));
  EXPECT_FALSE(HasWildcard("readline"));
  EXPECT_FALSE(HasWildcard("a[1]"));
}

}  // namespace
}  // namespace nubpf::compiler
