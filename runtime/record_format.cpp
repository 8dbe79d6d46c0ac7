#include "runtime/record_format.h"

#include <fmt/core.h>

#include <cassert>
#include <cmath>

#include "runtime/string_quoting.h"

namespace nubpf::runtime {
namespace {

// Appends the JSON text of a cell. Durations and file sizes are plain
// numbers, as Nushell's `to json` writes them.
void AppendJsonCell(std::string& out, const CellValue& value) {
  if (std::holds_alternative<NullValue>(value)) {
    out += "null";
    return;
  }
  if (const auto* number = std::get_if<FloatValue>(&value)) {
    out += FloatText(number->value);
    return;
  }
  if (const auto* time = std::get_if<TimeValue>(&value)) {
    AppendJsonQuoted(out, time->rfc3339);
    return;
  }
  AppendJsonValue(out, std::get<FieldValue>(value));
}

void AppendNuonCell(std::string& out, const CellValue& value) {
  if (std::holds_alternative<NullValue>(value)) {
    out += "null";
    return;
  }
  if (const auto* number = std::get_if<FloatValue>(&value)) {
    auto whole = static_cast<int64_t>(std::trunc(number->value));
    if (number->type == FieldType::kDuration) {
      out += fmt::format("{}ns", whole);
    } else if (number->type == FieldType::kFileSize) {
      out += fmt::format("{}b", whole);
    } else {
      out += FloatText(number->value);
    }
    return;
  }
  if (const auto* time = std::get_if<TimeValue>(&value)) {
    out += time->rfc3339;
    return;
  }
  AppendNuonValue(out, std::get<FieldValue>(value));
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
  std::string out;
  AppendNuonQuoted(out, bytes);
  return out;
}

void AppendNuonValue(std::string& out, const FieldValue& value) {
  if (const auto* duration = std::get_if<Duration>(&value)) {
    AppendDecimal(out, duration->nanoseconds);
    out += "ns";
    return;
  }
  if (const auto* size = std::get_if<FileSize>(&value)) {
    AppendDecimal(out, size->bytes);
    out += 'b';
    return;
  }
  if (const auto* text = std::get_if<std::string>(&value)) {
    AppendNuonQuoted(out, *text);
    return;
  }
  if (const auto* stack = std::get_if<StackTrace>(&value)) {
    out += '[';
    for (size_t i = 0; i < stack->addresses.size(); ++i) {
      if (i > 0) out += ", ";
      AppendNuonQuoted(out, FrameText(*stack, i));
    }
    out += ']';
    return;
  }
  AppendJsonValue(out, value);
}

std::string NuonValue(const FieldValue& value) {
  std::string out;
  AppendNuonValue(out, value);
  return out;
}

RecordLineWriter::RecordLineWriter(OutputFormat format, std::string& out)
    : nuon_(format == OutputFormat::kNuon), out_(out) {
  assert((format == OutputFormat::kJson || format == OutputFormat::kNuon) &&
         "only JSON and NUON write records as lines");
  out_ += '{';
}

void RecordLineWriter::AppendName(std::string_view name) {
  if (!first_column_) out_ += ", ";
  first_column_ = false;
  if (nuon_) {
    AppendNuonQuoted(out_, name);
  } else {
    AppendJsonQuoted(out_, name);
  }
  out_ += ": ";
}

void RecordLineWriter::Add(std::string_view name, const FieldValue& value) {
  AppendName(name);
  if (nuon_) {
    AppendNuonValue(out_, value);
  } else {
    AppendJsonValue(out_, value);
  }
}

void RecordLineWriter::Add(std::string_view name, const CellValue& value) {
  AppendName(name);
  if (nuon_) {
    AppendNuonCell(out_, value);
  } else {
    AppendJsonCell(out_, value);
  }
}

void RecordLineWriter::Finish() { out_ += '}'; }

std::string FormatRecordLine(OutputFormat format, const Record& record) {
  std::string out;
  RecordLineWriter writer(format, out);
  for (const Column& column : record) writer.Add(column.name, column.value);
  writer.Finish();
  return out;
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
