// Reads fenced code blocks out of Markdown, so tests can check and compile
// the examples in docs/ as they are written.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nubpf::testing {

struct FencedBlock {
  int first_line = 0;  // 1-based line in the Markdown of the block's first line
  std::string text;    // the block's lines, each ending in '\n'
};

// Returns the blocks fenced with ``` or ~~~ whose info string starts with
// the word `language` (```nu), in document order. The rules are
// CommonMark's: a fence may be indented up to 3 spaces, and as many are
// removed from its content lines. The closing fence repeats the opening
// fence's character at least as many times, and a block left open runs to
// the end of the document.
std::vector<FencedBlock> ExtractFencedBlocks(std::string_view markdown,
                                             std::string_view language);

}  // namespace nubpf::testing
