#include "runtime/output_format.h"

#include <algorithm>
#include <cassert>
#include <charconv>

#include "runtime/string_quoting.h"

namespace nubpf::runtime {
namespace {

constexpr size_t kMaxStringColumnWidth = 32;

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Calls `on_valid(sequence)` for each well-formed UTF-8 sequence of `bytes`
// and `on_invalid(byte)` for each byte outside one.
template <typename OnValid, typename OnInvalid>
void ForEachUtf8(std::string_view bytes, OnValid on_valid,
                 OnInvalid on_invalid) {
  size_t index = 0;
  while (index < bytes.size()) {
    size_t length = Utf8SequenceLength(bytes, index);
    if (length == 0) {
      on_invalid(static_cast<unsigned char>(bytes[index]));
      ++index;
      continue;
    }
    on_valid(bytes.substr(index, length));
    index += length;
  }
}

}  // namespace

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "table") {
    return OutputFormat::kTable;
  }
  if (name == "json") {
    return OutputFormat::kJson;
  }
  if (name == "nuon") {
    return OutputFormat::kNuon;
  }
  if (name == "csv") {
    return OutputFormat::kCsv;
  }
  return std::nullopt;
}

// Example: E2 82 AC is U+20AC (the euro sign), length 3. ED A0 80 would be
// the surrogate U+D800 and is rejected, as is the overlong C0 AF for `/`.
size_t Utf8SequenceLength(std::string_view text, size_t index) {
  auto byte_at = [&](size_t offset) -> unsigned char {
    return index + offset < text.size()
               ? static_cast<unsigned char>(text[index + offset])
               : 0;
  };
  if (index >= text.size()) {
    return 0;
  }
  unsigned char lead = byte_at(0);
  if (lead < 0x80) {
    return 1;
  }

  // The lead byte fixes the length and the allowed range of the second
  // byte. That range excludes overlong forms, surrogates and code points
  // above U+10FFFF.
  size_t length = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead == 0xE0) {
    length = 3;
    second_min = 0xA0;
  } else if (lead >= 0xE1 && lead <= 0xEC) {
    length = 3;
  } else if (lead == 0xED) {
    length = 3;
    second_max = 0x9F;
  } else if (lead >= 0xEE && lead <= 0xEF) {
    length = 3;
  } else if (lead == 0xF0) {
    length = 4;
    second_min = 0x90;
  } else if (lead >= 0xF1 && lead <= 0xF3) {
    length = 4;
  } else if (lead == 0xF4) {
    length = 4;
    second_max = 0x8F;
  } else {
    return 0;
  }

  if (index + length > text.size()) {
    return 0;
  }
  unsigned char second = byte_at(1);
  if (second < second_min || second > second_max) {
    return 0;
  }
  for (size_t offset = 2; offset < length; ++offset) {
    if (!IsContinuation(byte_at(offset))) {
      return 0;
    }
  }
  return length;
}

std::string JsonQuote(std::string_view bytes) {
  std::string out;
  AppendJsonQuoted(out, bytes);
  return out;
}

// std::to_chars, unlike fmt::format, neither parses a format string nor
// builds a string of its own, which shows at millions of records a second.
template <typename Integer>
static void AppendInteger(std::string& out, Integer number) {
  char digits[24];
  auto [end, error] = std::to_chars(digits, digits + sizeof(digits), number);
  assert(error == std::errc() && "24 characters hold every 64-bit integer");
  out.append(digits, end);
}

void AppendDecimal(std::string& out, uint64_t number) { AppendInteger(out, number); }

void AppendDecimal(std::string& out, int64_t number) { AppendInteger(out, number); }

void AppendJsonValue(std::string& out, const FieldValue& value) {
  // Nushell's `to json` writes durations and file sizes as integers too.
  if (const auto* duration = std::get_if<Duration>(&value)) {
    AppendDecimal(out, duration->nanoseconds);
    return;
  }
  if (const auto* size = std::get_if<FileSize>(&value)) {
    AppendDecimal(out, size->bytes);
    return;
  }
  if (const auto* number = std::get_if<uint64_t>(&value)) {
    AppendDecimal(out, *number);
    return;
  }
  if (const auto* number = std::get_if<int64_t>(&value)) {
    AppendDecimal(out, *number);
    return;
  }
  if (const auto* flag = std::get_if<bool>(&value)) {
    out += *flag ? "true" : "false";
    return;
  }
  if (const auto* stack = std::get_if<StackTrace>(&value)) {
    out += '[';
    for (size_t i = 0; i < stack->addresses.size(); ++i) {
      if (i > 0) out += ", ";
      AppendJsonQuoted(out, FrameText(*stack, i));
    }
    out += ']';
    return;
  }
  AppendJsonQuoted(out, std::get<std::string>(value));
}

std::string JsonValue(const FieldValue& value) {
  std::string out;
  AppendJsonValue(out, value);
  return out;
}

// Copies each run of printable ASCII with one append, as AppendJsonQuoted()
// does, and looks at the other bytes one sequence at a time.
void AppendTableText(std::string& out, std::string_view bytes) {
  auto append_hex = [&](unsigned char byte) {
    constexpr std::string_view kHexDigits = "0123456789abcdef";
    out += "\\x";
    out += kHexDigits[byte >> 4];
    out += kHexDigits[byte & 0xF];
  };
  size_t index = 0;
  while (index < bytes.size()) {
    size_t run_end = index;
    while (run_end < bytes.size() && bytes[run_end] >= 0x20 && bytes[run_end] < 0x7F) ++run_end;
    out.append(bytes.data() + index, run_end - index);
    index = run_end;
    if (index == bytes.size()) break;

    // A control character, DEL, or a byte from 0x80 up that starts a
    // well-formed sequence or is not UTF-8.
    size_t length = Utf8SequenceLength(bytes, index);
    if (length > 1) {
      out.append(bytes.data() + index, length);
      index += length;
      continue;
    }
    append_hex(static_cast<unsigned char>(bytes[index]));
    ++index;
  }
}

std::string TableText(std::string_view bytes) {
  std::string out;
  AppendTableText(out, bytes);
  return out;
}

size_t DisplayWidth(std::string_view text) {
  return static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char byte) {
        return !IsContinuation(static_cast<unsigned char>(byte));
      }));
}

// Appends the text of a value that is neither a string nor a stack, which
// tables and print lines show alike.
static void AppendScalarText(std::string& out, const FieldValue& value) {
  if (const auto* duration = std::get_if<Duration>(&value)) {
    out += FormatDuration(*duration);
    return;
  }
  if (const auto* size = std::get_if<FileSize>(&value)) {
    out += FormatFileSize(*size);
    return;
  }
  if (const auto* number = std::get_if<uint64_t>(&value)) {
    AppendDecimal(out, *number);
    return;
  }
  if (const auto* number = std::get_if<int64_t>(&value)) {
    AppendDecimal(out, *number);
    return;
  }
  out += std::get<bool>(value) ? "true" : "false";
}

std::vector<std::string> TableLines(const FieldValue& value) {
  const auto* stack = std::get_if<StackTrace>(&value);
  if (stack == nullptr) return {TableValue(value)};
  if (stack->addresses.empty()) return {"(no frames)"};
  std::vector<std::string> lines;
  for (size_t i = 0; i < stack->addresses.size(); ++i) {
    lines.push_back(TableText(FrameText(*stack, i)));
  }
  return lines;
}

// Joins `lines` with newlines.
static std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += '\n';
    out += lines[i];
  }
  return out;
}

std::string TableValue(const FieldValue& value) {
  if (std::holds_alternative<StackTrace>(value)) return JoinLines(TableLines(value));
  std::string out;
  AppendTableScalar(out, value);
  return out;
}

void AppendTableScalar(std::string& out, const FieldValue& value) {
  assert(!std::holds_alternative<StackTrace>(value) && "a stack spans several lines");
  if (const auto* text = std::get_if<std::string>(&value)) {
    AppendTableText(out, *text);
    return;
  }
  AppendScalarText(out, value);
}

std::string FormatInterpolatedValue(const FieldValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* stack = std::get_if<StackTrace>(&value)) {
    std::vector<std::string> frames;
    for (size_t i = 0; i < stack->addresses.size(); ++i) {
      frames.push_back(FrameText(*stack, i));
    }
    return JoinLines(frames);
  }
  std::string out;
  AppendScalarText(out, value);
  return out;
}

size_t ColumnWidth(FieldType type, uint32_t size) {
  switch (type) {
    case FieldType::kU8:
      return 3;  // 255
    case FieldType::kU16:
      return 5;  // 65535
    case FieldType::kU32:
      return 10;  // 4294967295
    case FieldType::kU64:
      return 20;  // 18446744073709551615
    case FieldType::kI8:
      return 4;  // -128
    case FieldType::kI16:
      return 6;  // -32768
    case FieldType::kI32:
      return 11;  // -2147483648
    case FieldType::kI64:
      return 20;  // -9223372036854775808
    case FieldType::kDuration:
      return 12;  // 1min 30sec; longer ones widen the column
    case FieldType::kFileSize:
      return 8;  // 999.9 kB
    case FieldType::kBool:
      return 5;  // false
    case FieldType::kString:
      return std::clamp<size_t>(size > 0 ? size - 1 : 0, 1,
                                kMaxStringColumnWidth);
    case FieldType::kKernelStack:
    case FieldType::kUserStack:
      return kMaxStringColumnWidth;
  }
  return 1;
}

bool IsRightAligned(FieldType type) {
  switch (type) {
    case FieldType::kU8:
    case FieldType::kU16:
    case FieldType::kU32:
    case FieldType::kU64:
    case FieldType::kI8:
    case FieldType::kI16:
    case FieldType::kI32:
    case FieldType::kI64:
    case FieldType::kDuration:
    case FieldType::kFileSize:
      return true;
    case FieldType::kBool:
    case FieldType::kString:
    case FieldType::kKernelStack:
    case FieldType::kUserStack:
      return false;
  }
  return false;
}

std::string PadCell(std::string_view text, size_t width, bool right_aligned) {
  size_t text_width = DisplayWidth(text);
  if (text_width >= width) {
    return std::string(text);
  }
  std::string padding(width - text_width, ' ');
  if (right_aligned) {
    return padding + std::string(text);
  }
  return std::string(text) + padding;
}

void PadCellInPlace(std::string& out, size_t cell_start, size_t width, bool right_aligned) {
  size_t text_width = DisplayWidth(std::string_view(out).substr(cell_start));
  if (text_width >= width) return;
  if (right_aligned) {
    out.insert(cell_start, width - text_width, ' ');
    return;
  }
  out.append(width - text_width, ' ');
}

}  // namespace nubpf::runtime
