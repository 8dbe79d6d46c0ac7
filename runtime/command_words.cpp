#include "runtime/command_words.h"

#include <fmt/core.h>

#include <optional>

namespace nubpf::runtime {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

// The characters that a backslash escapes inside double quotes.
bool IsDoubleQuoteEscape(char c) {
  return c == '$' || c == '`' || c == '"' || c == '\\' || c == '\n';
}

Error CommandError(std::string_view text, std::string message) {
  Error error;
  error.exit_code = ExitCode::kUsage;
  error.message = fmt::format("invalid -c `{}`: {}", text, message);
  error.help =
      "give the command and its arguments as one word, quoted for your shell, "
      "as in `-c 'ls -l /tmp'`";
  return error;
}

}  // namespace

ErrorOr<std::vector<std::string>> SplitCommandWords(std::string_view text) {
  std::vector<std::string> words;
  // The word being read; nullopt between words, so that `''` still makes
  // an empty word.
  std::optional<std::string> word;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];

    if (IsBlank(c)) {
      if (word) words.push_back(std::move(*word));
      word.reset();
      ++i;
      continue;
    }
    if (!word) word.emplace();

    if (c == '\\') {
      if (i + 1 >= text.size()) {
        return CommandError(text, "a backslash at the end escapes nothing");
      }
      // As in sh, a backslash before a newline joins the lines.
      if (text[i + 1] != '\n') *word += text[i + 1];
      i += 2;
      continue;
    }

    if (c == '\'') {
      size_t close = text.find('\'', i + 1);
      if (close == std::string_view::npos) {
        return CommandError(text, fmt::format("the single quote at byte {} is never closed",
                                              i + 1));
      }
      *word += text.substr(i + 1, close - i - 1);
      i = close + 1;
      continue;
    }

    if (c == '"') {
      size_t open = i++;
      while (i < text.size() && text[i] != '"') {
        if (text[i] == '\\' && i + 1 < text.size() && IsDoubleQuoteEscape(text[i + 1])) {
          if (text[i + 1] != '\n') *word += text[i + 1];
          i += 2;
          continue;
        }
        *word += text[i++];
      }
      if (i >= text.size()) {
        return CommandError(text, fmt::format("the double quote at byte {} is never closed",
                                              open + 1));
      }
      ++i;
      continue;
    }

    *word += c;
    ++i;
  }
  if (word) words.push_back(std::move(*word));

  if (words.empty()) return CommandError(text, "the command is empty");
  return words;
}

}  // namespace nubpf::runtime
