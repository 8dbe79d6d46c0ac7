#include "runtime/print_template.h"

#include <fmt/core.h>

#include <cassert>
#include <charconv>

namespace nubpf::runtime {
namespace {

Error TemplateError(std::string message) {
  Error error;
  error.message = std::move(message);
  return error;
}

// Appends literal text, merging it into the text piece before it.
void AppendText(PrintTemplate& print, std::string_view text) {
  if (!print.parts.empty()) {
    if (auto* previous = std::get_if<std::string>(&print.parts.back())) {
      *previous += text;
      return;
    }
  }
  print.parts.emplace_back(std::string(text));
}

bool IsDecimal(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

std::string DescribeFieldCount(size_t field_count) {
  if (field_count == 0) {
    return "no fields";
  }
  if (field_count == 1) {
    return "1 field";
  }
  return fmt::format("{} fields", field_count);
}

// Parses the `{` at `text[offset]`: a doubled brace or a field. Returns the
// offset after it.
ErrorOr<size_t> ParseOpenBrace(std::string_view text, size_t offset,
                               size_t field_count, PrintTemplate& print) {
  if (offset + 1 < text.size() && text[offset + 1] == '{') {
    AppendText(print, "{");
    return offset + 2;
  }

  // A `{` with no `}` before the next `{` never closes.
  size_t close = text.find('}', offset + 1);
  size_t next_open = text.find('{', offset + 1);
  if (close == std::string_view::npos || next_open < close) {
    return TemplateError(
        fmt::format("unterminated `{{` at offset {}; a literal `{{` is "
                    "written `{{{{`",
                    offset));
  }

  std::string_view reference = text.substr(offset, close + 1 - offset);
  std::string_view digits = text.substr(offset + 1, close - offset - 1);
  if (!IsDecimal(digits)) {
    return TemplateError(
        fmt::format("`{}` at offset {} is not a field reference `{{N}}`; a "
                    "literal `{{` is written `{{{{`",
                    reference, offset));
  }

  // An index too large for 64 bits is past the fields all the same.
  uint64_t index = 0;
  std::from_chars_result parsed =
      std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (parsed.ec != std::errc() || index >= field_count) {
    return TemplateError(fmt::format(
        "`{}` at offset {} refers to field {}, but the event has {}", reference,
        offset, digits, DescribeFieldCount(field_count)));
  }
  print.parts.emplace_back(PrintField{static_cast<uint32_t>(index)});
  return close + 1;
}

// Parses the `}` at `text[offset]`, which must be doubled. Returns the
// offset after it.
ErrorOr<size_t> ParseCloseBrace(std::string_view text, size_t offset,
                                PrintTemplate& print) {
  if (offset + 1 < text.size() && text[offset + 1] == '}') {
    AppendText(print, "}");
    return offset + 2;
  }
  return TemplateError(fmt::format(
      "lone `}}` at offset {}; a literal `}}` is written `}}}}`", offset));
}

// Parses the escape that starts with the `\` at `text[offset]`. Returns the
// offset after it.
ErrorOr<size_t> ParseEscape(std::string_view text, size_t offset,
                            PrintTemplate& print) {
  constexpr const char* kEscapesHelp =
      "the escapes are `\\t`, `\\n` and `\\\\`";
  if (offset + 1 == text.size()) {
    return TemplateError(
        fmt::format("the template ends in a lone `\\` at offset {}; {}", offset,
                    kEscapesHelp));
  }

  char escaped = text[offset + 1];
  switch (escaped) {
    case 't':
      AppendText(print, "\t");
      return offset + 2;
    case 'n':
      AppendText(print, "\n");
      return offset + 2;
    case '\\':
      AppendText(print, "\\");
      return offset + 2;
  }

  // Names a byte that would not print as itself by its value.
  unsigned char byte = static_cast<unsigned char>(escaped);
  std::string escape_text =
      byte > 0x20 && byte < 0x7F
          ? fmt::format("`\\{}`", escaped)
          : fmt::format("`\\` followed by byte 0x{:02x}", byte);
  return TemplateError(fmt::format("unknown escape {} at offset {}; {}",
                                   escape_text, offset, kEscapesHelp));
}

// Parses the `{`, `}` or `\` at `text[offset]`. Returns the offset after
// what it parsed.
ErrorOr<size_t> ParseSpecial(std::string_view text, size_t offset,
                             size_t field_count, PrintTemplate& print) {
  if (text[offset] == '{') {
    return ParseOpenBrace(text, offset, field_count, print);
  }
  if (text[offset] == '}') {
    return ParseCloseBrace(text, offset, print);
  }
  assert(text[offset] == '\\' && "ParseSpecial() called on plain text");
  return ParseEscape(text, offset, print);
}

}  // namespace

ErrorOr<PrintTemplate> ParsePrintTemplate(std::string_view text,
                                          size_t field_count) {
  PrintTemplate print;
  size_t offset = 0;
  while (offset < text.size()) {
    // Copies the run of plain text up to the next special character.
    size_t special = text.find_first_of("{}\\", offset);
    if (special == std::string_view::npos) {
      special = text.size();
    }
    if (special > offset) {
      AppendText(print, text.substr(offset, special - offset));
      offset = special;
      continue;
    }

    ErrorOr<size_t> next = ParseSpecial(text, offset, field_count, print);
    if (!next) {
      return next.TakeError();
    }
    offset = *next;
  }
  return print;
}

}  // namespace nubpf::runtime
