#include "tests/support/markdown.h"

namespace nubpf::testing {
namespace {

// An opening or closing fence line: its indent, character and length, and
// the info string after it.
struct Fence {
  size_t indent = 0;
  char marker = 0;
  size_t length = 0;
  std::string_view info;
};

// Reads `line` as a fence; false when it is not one.
bool ReadFence(std::string_view line, Fence* fence) {
  size_t at = 0;
  while (at < line.size() && line[at] == ' ') ++at;
  if (at > 3 || at == line.size()) return false;
  char marker = line[at];
  if (marker != '`' && marker != '~') return false;

  size_t end = at;
  while (end < line.size() && line[end] == marker) ++end;
  if (end - at < 3) return false;

  std::string_view info = line.substr(end);
  while (!info.empty() && (info.front() == ' ' || info.front() == '\t')) {
    info.remove_prefix(1);
  }
  // A backtick fence's info string cannot contain a backtick.
  if (marker == '`' && info.find('`') != std::string_view::npos) return false;
  *fence = {at, marker, end - at, info};
  return true;
}

// True when `info` names `language` as its first word.
bool InfoNames(std::string_view info, std::string_view language) {
  if (info.substr(0, language.size()) != language) return false;
  return info.size() == language.size() || info[language.size()] == ' ' ||
         info[language.size()] == '\t' || info[language.size()] == '\r';
}

bool ClosesFence(std::string_view line, const Fence& open) {
  Fence close;
  if (!ReadFence(line, &close)) return false;
  bool only_space = close.info.find_first_not_of(" \t\r") == std::string_view::npos;
  return close.marker == open.marker && close.length >= open.length && only_space;
}

// Drops up to `indent` leading spaces, as CommonMark does for the content
// of an indented fence.
std::string_view Unindent(std::string_view line, size_t indent) {
  size_t drop = 0;
  while (drop < indent && drop < line.size() && line[drop] == ' ') ++drop;
  return line.substr(drop);
}

}  // namespace

std::vector<FencedBlock> ExtractFencedBlocks(std::string_view markdown,
                                             std::string_view language) {
  std::vector<FencedBlock> blocks;
  bool inside = false;
  bool matches_language = false;
  Fence open;
  FencedBlock block;

  int line_number = 0;
  size_t start = 0;
  while (start < markdown.size()) {
    size_t newline = markdown.find('\n', start);
    size_t end = newline == std::string_view::npos ? markdown.size() : newline;
    std::string_view line = markdown.substr(start, end - start);
    start = end + 1;
    ++line_number;

    // Outside a block only an opening fence matters.
    if (!inside) {
      if (!ReadFence(line, &open)) continue;
      inside = true;
      matches_language = InfoNames(open.info, language);
      block = {line_number + 1, ""};
      continue;
    }

    if (ClosesFence(line, open)) {
      inside = false;
      if (matches_language) blocks.push_back(std::move(block));
      continue;
    }
    block.text += Unindent(line, open.indent);
    block.text += '\n';
  }

  if (inside && matches_language) blocks.push_back(std::move(block));
  return blocks;
}

}  // namespace nubpf::testing
