#include "runtime/aggregation_printer.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "runtime/histogram_format.h"
#include "runtime/table_layout.h"

namespace nubpf::runtime {
namespace {

// One entry with its key fields decoded, in key order.
struct DecodedRow {
  std::vector<FieldValue> key;
  AggregationValue value;
};

std::vector<DecodedRow> DecodeAndSort(const AggregationInfo& info,
                                      std::vector<AggregationRow> rows,
                                      StackNamer* namer) {
  std::vector<DecodedRow> decoded;
  for (AggregationRow& row : rows) {
    DecodedRow entry{DecodeAggregationKey(info, row.key), std::move(row.value)};
    for (FieldValue& value : entry.key) {
      auto* stack = std::get_if<StackTrace>(&value);
      if (stack != nullptr && namer != nullptr) namer->Name(*stack);
    }
    decoded.push_back(std::move(entry));
  }

  // Equal values are ordered by key, so that the output does not depend
  // on the map's hash order.
  std::sort(decoded.begin(), decoded.end(), [&](const DecodedRow& a, const DecodedRow& b) {
    if (ShowsLargerValue(info.kind, a.value, b.value)) return true;
    if (ShowsLargerValue(info.kind, b.value, a.value)) return false;
    return a.key < b.key;
  });
  return decoded;
}

// A piped-in value as its own type.
FieldValue TypedValue(FieldType type, int64_t value) {
  if (type == FieldType::kDuration) return Duration{value};
  if (type == FieldType::kFileSize) return FileSize{value};
  return value;
}

// The value columns of one entry of a non-histogram kind; avg, min and max
// are null when no value was aggregated.
Record ValueColumns(const AggregationInfo& info, const AggregationValue& value) {
  CellValue none = NullValue{};
  bool has_value = value.count != 0;
  auto count = [&] { return Column{"count", FieldValue(value.count)}; };
  auto sum = [&] { return Column{"sum", TypedValue(info.value_type, value.sum)}; };
  auto avg = [&] {
    double average = static_cast<double>(value.sum) / static_cast<double>(value.count);
    return Column{"avg", has_value ? CellValue(FloatValue{average, info.value_type}) : none};
  };
  auto min = [&] {
    return Column{"min", has_value ? CellValue(TypedValue(info.value_type, value.min)) : none};
  };
  auto max = [&] {
    return Column{"max", has_value ? CellValue(TypedValue(info.value_type, value.max)) : none};
  };
  switch (info.kind) {
    case AggregationKind::kCount:
      return {count()};
    case AggregationKind::kSum:
      return {sum()};
    case AggregationKind::kAvg:
      return {avg()};
    case AggregationKind::kMin:
      return {min()};
    case AggregationKind::kMax:
      return {max()};
    case AggregationKind::kStats:
      return {count(), sum(), avg(), min(), max()};
    case AggregationKind::kHistogram:
    case AggregationKind::kLinear:
      return {};
  }
  return {};
}

// The lines of a cell in a table: an avg of an int with two decimals as
// Nushell's tables show floats, an avg of a duration or file size cut to
// a whole one, and null as nothing.
std::vector<std::string> CellLines(const CellValue& value) {
  if (std::holds_alternative<NullValue>(value)) return {""};
  if (const auto* time = std::get_if<TimeValue>(&value)) return {time->rfc3339};
  if (const auto* number = std::get_if<FloatValue>(&value)) {
    if (number->type == FieldType::kI64) return {fmt::format("{:.2f}", number->value)};
    auto whole = static_cast<int64_t>(std::trunc(number->value));
    return TableLines(TypedValue(number->type, whole));
  }
  return TableLines(std::get<FieldValue>(value));
}

bool IsRightAlignedCell(const CellValue& value) {
  if (const auto* field = std::get_if<FieldValue>(&value)) {
    return !std::holds_alternative<std::string>(*field) &&
           !std::holds_alternative<bool>(*field) &&
           !std::holds_alternative<StackTrace>(*field);
  }
  return true;
}

// The first columns of every machine-format record of an entry.
Record BaseColumns(const AggregationInfo& info, const std::vector<FieldValue>& key,
                   const MapPrintOptions& options) {
  Record record;
  if (options.time) record.push_back({"time", *options.time});
  record.push_back({"aggregation", FieldValue(info.name)});
  // NOTE: a key field named `aggregation`, `time` or like a value column
  // repeats a column name, and readers keep only one of the two. The
  // compiler does not rule such names out.
  for (size_t i = 0; i < key.size(); ++i) record.push_back({info.key[i].name, key[i]});
  return record;
}

std::vector<Record> MachineRecords(const AggregationInfo& info,
                                   const std::vector<DecodedRow>& rows,
                                   const MapPrintOptions& options) {
  std::vector<Record> records;
  bool histogram = info.kind == AggregationKind::kHistogram ||
                   info.kind == AggregationKind::kLinear;
  for (const DecodedRow& row : rows) {
    if (!histogram) {
      Record record = BaseColumns(info, row.key, options);
      for (Column& column : ValueColumns(info, row.value)) record.push_back(std::move(column));
      records.push_back(std::move(record));
      continue;
    }
    for (uint32_t i = 0; i < row.value.buckets.size(); ++i) {
      if (row.value.buckets[i] == 0) continue;
      BucketRange range = BucketRangeOf(info, i);
      auto bound = [&](const std::optional<int64_t>& end) -> CellValue {
        if (!end) return NullValue{};
        return TypedValue(info.value_type, *end);
      };
      Record record = BaseColumns(info, row.key, options);
      record.push_back({"from", bound(range.from)});
      record.push_back({"to", bound(range.to)});
      record.push_back({"count", FieldValue(row.value.buckets[i])});
      records.push_back(std::move(record));
    }
  }
  return records;
}

std::vector<std::string> MachineLines(const std::vector<Record>& records,
                                      OutputFormat format) {
  std::vector<std::string> lines;
  if (format == OutputFormat::kCsv) {
    if (!records.empty()) lines.push_back(FormatCsvHeader(records.front()));
    for (const Record& record : records) lines.push_back(FormatCsvRow(record));
    return lines;
  }
  for (const Record& record : records) lines.push_back(FormatRecordLine(format, record));
  return lines;
}

// `comm: bash, pid: 42`, with a stack's frames on their own lines.
std::vector<std::string> KeyLines(const AggregationInfo& info,
                                  const std::vector<FieldValue>& key) {
  std::vector<std::string> lines = {""};
  for (size_t i = 0; i < key.size(); ++i) {
    std::string& line = lines.front();
    if (i > 0) line += ", ";
    line += TableText(info.key[i].name) + ":";
    std::vector<std::string> value = TableLines(key[i]);
    if (!std::holds_alternative<StackTrace>(key[i])) {
      line += " " + value.front();
      continue;
    }
    for (const std::string& frame : value) lines.push_back("  " + frame);
  }
  return lines;
}

std::vector<std::string> HistogramTable(const AggregationInfo& info,
                                        const std::vector<DecodedRow>& rows) {
  std::vector<std::string> lines = {TableText(info.name)};
  if (rows.empty()) {
    lines.push_back("(no entries)");
    return lines;
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!info.key.empty()) {
      if (i > 0) lines.push_back("");
      for (std::string& line : KeyLines(info, rows[i].key)) lines.push_back(std::move(line));
    }
    std::vector<std::string> bars = FormatHistogramBars(info, rows[i].value.buckets);
    if (bars.empty()) bars.push_back("(no values)");
    for (std::string& bar : bars) lines.push_back(std::move(bar));
  }
  return lines;
}

// A table of the key columns and the value columns, a stack key last so
// that each row starts on the line of its values.
std::vector<std::string> KeyedTable(const AggregationInfo& info,
                                    const std::vector<DecodedRow>& rows) {
  std::vector<std::string> lines = {TableText(info.name)};
  if (rows.empty()) {
    lines.push_back("(no entries)");
    return lines;
  }

  std::vector<size_t> key_order;
  for (size_t i = 0; i < info.key.size(); ++i) {
    if (!IsStack(info.key[i].type)) key_order.push_back(i);
  }
  std::vector<size_t> stack_keys;
  for (size_t i = 0; i < info.key.size(); ++i) {
    if (IsStack(info.key[i].type)) stack_keys.push_back(i);
  }

  TableLayout table;
  auto add_key_columns = [&](const std::vector<size_t>& indexes) {
    for (size_t i : indexes) {
      table.AddColumn(TableText(info.key[i].name), IsRightAligned(info.key[i].type));
    }
  };
  add_key_columns(key_order);
  for (const Column& column : ValueColumns(info, rows.front().value)) {
    table.AddColumn(column.name, /*right_aligned=*/true);
  }
  add_key_columns(stack_keys);

  for (const DecodedRow& row : rows) {
    std::vector<std::vector<std::string>> cells;
    for (size_t i : key_order) cells.push_back(TableLines(row.key[i]));
    for (const Column& column : ValueColumns(info, row.value)) {
      cells.push_back(CellLines(column.value));
    }
    for (size_t i : stack_keys) cells.push_back(TableLines(row.key[i]));
    table.AddRow(std::move(cells));
  }
  for (std::string& line : table.Lines()) lines.push_back(std::move(line));
  return lines;
}

std::vector<std::string> KeylessTable(const AggregationInfo& info,
                                      const std::vector<DecodedRow>& rows) {
  AggregationValue empty;
  const AggregationValue& value = rows.empty() ? empty : rows.front().value;
  Record columns = ValueColumns(info, value);
  if (columns.size() == 1) {
    std::string text = CellLines(columns.front().value).front();
    if (text.empty()) text = "(no values)";
    return {fmt::format("{}  {}", TableText(info.name), text)};
  }

  // stats: its five columns over one row.
  TableLayout table;
  std::vector<std::vector<std::string>> cells;
  for (const Column& column : columns) {
    table.AddColumn(column.name, IsRightAlignedCell(column.value));
    cells.push_back(CellLines(column.value));
  }
  table.AddRow(std::move(cells));
  std::vector<std::string> lines = {TableText(info.name)};
  for (std::string& line : table.Lines()) lines.push_back(std::move(line));
  return lines;
}

}  // namespace

std::vector<std::string> FormatAggregation(const AggregationInfo& info,
                                          std::vector<AggregationRow> rows,
                                          const MapPrintOptions& options) {
  std::vector<DecodedRow> sorted = DecodeAndSort(info, std::move(rows), options.namer);
  switch (options.format) {
    case OutputFormat::kTable:
      if (info.kind == AggregationKind::kHistogram ||
          info.kind == AggregationKind::kLinear) {
        return HistogramTable(info, sorted);
      }
      return info.key.empty() ? KeylessTable(info, sorted) : KeyedTable(info, sorted);
    case OutputFormat::kJson:
    case OutputFormat::kNuon:
    case OutputFormat::kCsv:
      return MachineLines(MachineRecords(info, sorted, options), options.format);
  }
  return {};
}

std::vector<std::string> FormatGlobals(const std::vector<GlobalInfo>& globals,
                                       const std::vector<FieldValue>& values,
                                       const MapPrintOptions& options) {
  if (globals.empty()) return {};
  if (options.format != OutputFormat::kTable) {
    std::vector<Record> records;
    for (size_t i = 0; i < globals.size(); ++i) {
      Record record;
      if (options.time) record.push_back({"time", *options.time});
      record.push_back({"global", FieldValue(globals[i].name)});
      record.push_back({"value", values[i]});
      records.push_back(std::move(record));
    }
    return MachineLines(records, options.format);
  }

  size_t name_width = 0;
  for (const GlobalInfo& global : globals) {
    name_width = std::max(name_width, DisplayWidth(TableText(global.name)));
  }
  std::vector<std::string> lines = {"globals"};
  for (size_t i = 0; i < globals.size(); ++i) {
    lines.push_back(PadCell(TableText(globals[i].name), name_width, false) + "  " +
                    TableValue(values[i]));
  }
  return lines;
}

}  // namespace nubpf::runtime
