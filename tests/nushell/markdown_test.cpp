// ExtractFencedBlocks, which reads the ```nu examples out of docs/.

#include "tests/support/markdown.h"

#include "gtest/gtest.h"

namespace nubpf::testing {
namespace {

TEST(FencedBlocks, KeepsOnlyTheLanguage) {
  std::vector<FencedBlock> blocks = ExtractFencedBlocks(
      "# Title\n"
      "```sh\n"
      "make test\n"
      "```\n"
      "\n"
      "```nu\n"
      "probe a:b {|e| count }\n"
      "```\n"
      "```nushell\n"
      "ls\n"
      "```\n"
      "~~~nu title\n"
      "count\n"
      "\n"
      "emit {}\n"
      "~~~\n",
      "nu");
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].first_line, 7);
  EXPECT_EQ(blocks[0].text, "probe a:b {|e| count }\n");
  EXPECT_EQ(blocks[1].first_line, 13);
  EXPECT_EQ(blocks[1].text, "count\n\nemit {}\n");
}

TEST(FencedBlocks, ClosesOnlyOnMatchingFence) {
  std::vector<FencedBlock> blocks = ExtractFencedBlocks(
      "````nu\n"
      "```\n"
      "~~~\n"
      "```` nu\n"
      "````\n",
      "nu");
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].text, "```\n~~~\n```` nu\n");
}

TEST(FencedBlocks, RemovesFenceIndent) {
  std::vector<FencedBlock> blocks = ExtractFencedBlocks(
      "  ```nu\n"
      "  count\n"
      "      emit {}\n"
      " x\n"
      "  ```\n",
      "nu");
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].text, "count\n    emit {}\nx\n");
}

TEST(FencedBlocks, UnclosedBlockRunsToEnd) {
  std::vector<FencedBlock> blocks =
      ExtractFencedBlocks("text\n```nu\ncount\nemit {}", "nu");
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].first_line, 3);
  EXPECT_EQ(blocks[0].text, "count\nemit {}\n");
}

TEST(FencedBlocks, IgnoresIndentedCodeAndInlineTicks) {
  std::vector<FencedBlock> blocks = ExtractFencedBlocks(
      "    ```nu\n"
      "    count\n"
      "``nu``\n"
      "Run ```nu``` here.\n",
      "nu");
  EXPECT_TRUE(blocks.empty());
}

}  // namespace
}  // namespace nubpf::testing
