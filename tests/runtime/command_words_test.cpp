// The words of `nubpf-run -c`, split as sh splits a simple command.
#include "runtime/command_words.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace nubpf::runtime {
namespace {

std::vector<std::string> Split(std::string_view text) {
  ErrorOr<std::vector<std::string>> words = SplitCommandWords(text);
  EXPECT_TRUE(words.ok()) << (words.ok() ? "" : words.error().message);
  return words.ok() ? *words : std::vector<std::string>{};
}

std::string SplitError(std::string_view text) {
  ErrorOr<std::vector<std::string>> words = SplitCommandWords(text);
  if (words.ok()) return "no error";
  EXPECT_EQ(words.error().exit_code, ExitCode::kUsage);
  return words.error().message;
}

TEST(CommandWords, Whitespace) {
  EXPECT_EQ(Split("ls"), (std::vector<std::string>{"ls"}));
  EXPECT_EQ(Split("  ls \t -l\n/tmp  "), (std::vector<std::string>{"ls", "-l", "/tmp"}));
}

TEST(CommandWords, SingleQuotes) {
  EXPECT_EQ(Split("echo 'a  b' 'c\\d' '$HOME'"),
            (std::vector<std::string>{"echo", "a  b", "c\\d", "$HOME"}));
  EXPECT_EQ(Split("echo ''"), (std::vector<std::string>{"echo", ""}));
}

TEST(CommandWords, DoubleQuotes) {
  EXPECT_EQ(Split(R"(echo "a 'b' c" "x\"y" "\$ \\ \n")"),
            (std::vector<std::string>{"echo", "a 'b' c", "x\"y", "$ \\ \\n"}));
  EXPECT_EQ(Split("echo \"\""), (std::vector<std::string>{"echo", ""}));
}

TEST(CommandWords, QuotesJoinNeighbours) {
  EXPECT_EQ(Split("a'b c'd\"e f\"g"), (std::vector<std::string>{"ab cde fg"}));
}

TEST(CommandWords, Backslashes) {
  EXPECT_EQ(Split(R"(echo a\ b \'c \"d \\)"),
            (std::vector<std::string>{"echo", "a b", "'c", "\"d", "\\"}));
  EXPECT_EQ(Split("echo a\\\nb"), (std::vector<std::string>{"echo", "ab"}));
}

TEST(CommandWords, NothingExpanded) {
  EXPECT_EQ(Split("ls * ~ $PATH `x`"),
            (std::vector<std::string>{"ls", "*", "~", "$PATH", "`x`"}));
}

TEST(CommandWords, Errors) {
  EXPECT_EQ(SplitError("echo 'a"), "invalid -c `echo 'a`: the single quote at byte 6 is never closed");
  EXPECT_EQ(SplitError("echo \"a\\\""),
            "invalid -c `echo \"a\\\"`: the double quote at byte 6 is never closed");
  EXPECT_EQ(SplitError("echo \\"), "invalid -c `echo \\`: a backslash at the end escapes nothing");
  EXPECT_EQ(SplitError(" \t"), "invalid -c ` \t`: the command is empty");
  EXPECT_EQ(SplitError(""), "invalid -c ``: the command is empty");
}

}  // namespace
}  // namespace nubpf::runtime
