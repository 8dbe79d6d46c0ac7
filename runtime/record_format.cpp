#include "runtime/record_format.h"

#include <fmt/core.h>

#include <cmath>

namespace nubpf::runtime {
namespace {

// JSON text of a cell; durations and file sizes are plain numbers, as
// Nushell's `to json` writes them.
std::string JsonCell(const CellValue& value) {
  if (std::holds_alternative<NullValue>(value)) return "null";
  if (const auto* number = std::get_if<FloatValue>(&value)) {
    return FloatText(number->value);
  }
  if (const auto* time = std::get_if<TimeValue>(&value)) {
    return JsonQuote(time->rfc3339);
  }
  return JsonValue(std::get<FieldValue>(value));
}

std::string NuonCell(const CellValue& value) {
  if (std::holds_alternative<NullValue>(value)) return "null";
  if (const auto* number = std::get_if<FloatValue>(&value)) {
    auto whole = static_cast<int64_t>(std::trunc(number->value));
    if (number->type == FieldType::kDuration) return fmt::format("{}ns", whole);
    if (number->type == FieldType::kFileSize) return fmt::format("{}b", whole);
    return FloatText(number->value);
  }
  if (const auto* time = std::get_if<TimeValue>(&value)) return time->rfc3339;
  return NuonValue(std::get<FieldValue>(value));
}

std::string CsvText(const CellValue& value) {
  if (std::holds_alternative<NullValue>(value)) return "";
  if (const auto* number = std::get_if<FloatValue>(&value)) {
    return FloatText(number->value);
  }
  if (const auto* time = std::get_if<TimeValue>(&value)) return time->rfc3339;
  const FieldValue& field = std::get<FieldValue>(value);
  if (const auto* text = std::get_if<std::string>(&field)) return *text;
  if (std::holds_alternative<StackTrace>(field)) return FormatInterpolatedValue(field);
  // JsonValue() gives the plain number or bool this needs.
  return JsonValue(field);
}

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(text);
  }
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string FloatText(double value) {
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
  return text;
}

std::string NuonQuote(std::string_view bytes) {
  std::string json = JsonQuote(bytes);
  // JsonQuote() writes control characters as \u00XX, the only \u escapes
  // it writes besides \ufffd; Nushell wants the braced form for both.
  std::string out;
  for (size_t i = 0; i < json.size(); ++i) {
    if (json[i] == '\\' && i + 1 < json.size() && json[i + 1] == 'u') {
      out += "\\u{" + json.substr(i + 2, 4) + "}";
      i += 5;
      continue;
    }
    if (json[i] == '\\' && i + 1 < json.size()) {
      out += json.substr(i, 2);
      ++i;
      continue;
    }
    out += json[i];
  }
  return out;
}

std::string NuonValue(const FieldValue& value) {
  if (const auto* duration = std::get_if<Duration>(&value)) {
    return fmt::format("{}ns", duration->nanoseconds);
  }
  if (const auto* size = std::get_if<FileSize>(&value)) {
    return fmt::format("{}b", size->bytes);
  }
  if (const auto* text = std::get_if<std::string>(&value)) return NuonQuote(*text);
  if (const auto* stack = std::get_if<StackTrace>(&value)) {
    std::string out = "[";
    for (size_t i = 0; i < stack->addresses.size(); ++i) {
      if (i > 0) out += ", ";
      out += NuonQuote(FrameText(*stack, i));
    }
    return out + "]";
  }
  return JsonValue(value);
}

std::string FormatRecordLine(OutputFormat format, const Record& record) {
  bool nuon = format == OutputFormat::kNuon;
  std::string out = "{";
  for (size_t i = 0; i < record.size(); ++i) {
    if (i > 0) out += ", ";
    out += nuon ? NuonQuote(record[i].name) : JsonQuote(record[i].name);
    out += ": ";
    out += nuon ? NuonCell(record[i].value) : JsonCell(record[i].value);
  }
  return out + "}";
}

std::string FormatCsvHeader(const Record& record) {
  std::string out;
  for (size_t i = 0; i < record.size(); ++i) {
    if (i > 0) out += ',';
    out += CsvField(record[i].name);
  }
  return out;
}

std::string FormatCsvRow(const Record& record) {
  std::string out;
  for (size_t i = 0; i < record.size(); ++i) {
    if (i > 0) out += ',';
    out += CsvField(CsvText(record[i].value));
  }
  return out;
}

}  // namespace nubpf::runtime
