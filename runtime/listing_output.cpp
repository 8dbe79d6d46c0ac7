#include "runtime/listing_output.h"

#include <fmt/core.h>

#include "runtime/record_format.h"
#include "runtime/table_layout.h"

namespace nubpf::runtime {
namespace {

const std::string& KindOf(const ListingRecord& record) {
  return std::get<std::string>(record.columns.front().value);
}

// The heading of a kind's table: `probe` gives `probes`.
std::string Heading(const std::string& kind) { return kind + "s"; }

std::string LineValue(const ListingValue& value, OutputFormat format);

std::string LineRecord(const ListingRecord& record, OutputFormat format) {
  bool nuon = format == OutputFormat::kNuon;
  std::string out = "{";
  for (size_t i = 0; i < record.columns.size(); ++i) {
    const ListingColumn& column = record.columns[i];
    if (i > 0) out += ", ";
    out += nuon ? NuonQuote(column.name) : JsonQuote(column.name);
    out += ": ";
    out += LineValue(column.value, format);
  }
  return out + "}";
}

// JSON and NUON write these values alike, except for the quoting of
// strings.
std::string LineValue(const ListingValue& value, OutputFormat format) {
  if (std::holds_alternative<std::monostate>(value)) return "null";
  if (const auto* text = std::get_if<std::string>(&value)) {
    return format == OutputFormat::kNuon ? NuonQuote(*text) : JsonQuote(*text);
  }
  if (const auto* number = std::get_if<uint64_t>(&value)) return std::to_string(*number);
  std::string out = "[";
  for (const ListingRecord& record : std::get<std::vector<ListingRecord>>(value)) {
    if (out.size() > 1) out += ", ";
    out += LineRecord(record, format);
  }
  return out + "]";
}

// A cell's lines: one per record of a list, `NAME: TYPE`.
std::vector<std::string> CellLines(const ListingValue& value) {
  if (std::holds_alternative<std::monostate>(value)) return {"-"};
  if (const auto* text = std::get_if<std::string>(&value)) return {TableText(*text)};
  if (const auto* number = std::get_if<uint64_t>(&value)) return {std::to_string(*number)};
  const auto& list = std::get<std::vector<ListingRecord>>(value);
  if (list.empty()) return {"-"};
  std::vector<std::string> lines;
  for (const ListingRecord& record : list) {
    std::string line;
    for (const ListingColumn& column : record.columns) {
      line += line.empty() ? "" : ": ";
      line += CellLines(column.value).front();
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

// Prints the records of one kind, `records[begin, end)`, under a heading.
void PrintKindTable(const std::vector<ListingRecord>& records, size_t begin, size_t end,
                    std::FILE* out) {
  const ListingRecord& first = records[begin];
  TableLayout table;
  for (size_t i = 1; i < first.columns.size(); ++i) {
    bool is_number = std::holds_alternative<uint64_t>(first.columns[i].value);
    table.AddColumn(first.columns[i].name, /*right_aligned=*/is_number);
  }
  for (size_t row = begin; row < end; ++row) {
    std::vector<std::vector<std::string>> cells;
    for (size_t i = 1; i < records[row].columns.size(); ++i) {
      cells.push_back(CellLines(records[row].columns[i].value));
    }
    table.AddRow(std::move(cells));
  }

  fmt::print(out, "{}\n", Heading(KindOf(first)));
  for (const std::string& line : table.Lines()) {
    fmt::print(out, "  {}\n", line);
  }
}

}  // namespace

void PrintListing(const std::vector<ListingRecord>& records, OutputFormat format,
                  std::FILE* out) {
  if (format == OutputFormat::kJson || format == OutputFormat::kNuon) {
    for (const ListingRecord& record : records) {
      fmt::print(out, "{}\n", LineRecord(record, format));
    }
    return;
  }

  // Records come grouped by kind; each group is a table.
  size_t begin = 0;
  while (begin < records.size()) {
    size_t end = begin + 1;
    while (end < records.size() && KindOf(records[end]) == KindOf(records[begin])) ++end;
    if (begin > 0) fmt::print(out, "\n");
    PrintKindTable(records, begin, end, out);
    begin = end;
  }
}

}  // namespace nubpf::runtime
