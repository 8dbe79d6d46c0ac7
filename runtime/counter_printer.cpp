#include "runtime/counter_printer.h"

#include <fmt/core.h>

#include <algorithm>

#include "runtime/event_decoder.h"

namespace nubpf::runtime {
namespace {

constexpr const char* kCountColumn = "count";

struct DecodedRow {
  FieldValue key;
  uint64_t count = 0;
};

// Decodes the keys and sorts by count, largest first. Equal counts are
// ordered by key so that the output does not depend on the map's hash
// order.
std::vector<DecodedRow> DecodeAndSort(const CounterKey& key,
                                      const std::vector<CounterRow>& rows,
                                      StackNamer* namer) {
  std::vector<DecodedRow> decoded;
  decoded.reserve(rows.size());
  for (const CounterRow& row : rows) {
    decoded.push_back({DecodeValue(key.type, row.key), row.count});
    auto* stack = std::get_if<StackTrace>(&decoded.back().key);
    if (stack != nullptr && namer != nullptr) namer->Name(*stack);
  }
  std::sort(decoded.begin(), decoded.end(),
            [](const DecodedRow& a, const DecodedRow& b) {
              if (a.count != b.count) {
                return a.count > b.count;
              }
              return a.key < b.key;
            });
  return decoded;
}

std::vector<std::string> FormatKeylessTable(
    const CounterInfo& counter, const std::vector<CounterRow>& rows) {
  uint64_t count = rows.empty() ? 0 : rows.front().count;
  return {fmt::format("{}  {}", TableText(counter.label), count)};
}

std::vector<std::string> FormatKeylessJson(
    const CounterInfo& counter, const std::vector<CounterRow>& rows) {
  uint64_t count = rows.empty() ? 0 : rows.front().count;
  return {fmt::format("{{\"counter\": {}, \"count\": {}}}",
                      JsonQuote(counter.label), count)};
}

// The count column, then the frames of the stack key, one per line.
std::vector<std::string> FormatStackKeyedTable(const CounterInfo& counter,
                                               const std::vector<DecodedRow>& rows) {
  std::vector<std::string> lines = {TableText(counter.label)};
  size_t count_width = DisplayWidth(kCountColumn);
  for (const DecodedRow& row : rows) {
    count_width = std::max(count_width, fmt::format("{}", row.count).size());
  }
  lines.push_back(PadCell(kCountColumn, count_width, /*right_aligned=*/true) + "  " +
                  TableText(counter.key->name));
  for (const DecodedRow& row : rows) {
    std::vector<std::string> frames = TableLines(row.key);
    for (size_t i = 0; i < frames.size(); ++i) {
      std::string count = i == 0 ? fmt::format("{}", row.count) : "";
      lines.push_back(PadCell(count, count_width, /*right_aligned=*/true) + "  " +
                      frames[i]);
    }
  }
  return lines;
}

// Sizes both columns to their widest cell, because the whole table is
// known at exit.
std::vector<std::string> FormatKeyedTable(const CounterInfo& counter,
                                          const std::vector<DecodedRow>& rows) {
  const CounterKey& key = *counter.key;
  std::vector<std::string> lines = {TableText(counter.label)};
  if (rows.empty()) {
    lines.push_back("(no entries)");
    return lines;
  }
  if (IsStack(key.type)) return FormatStackKeyedTable(counter, rows);

  std::vector<std::pair<std::string, std::string>> cells;
  std::string key_header = TableText(key.name);
  size_t key_width = DisplayWidth(key_header);
  size_t count_width = DisplayWidth(kCountColumn);
  for (const DecodedRow& row : rows) {
    cells.emplace_back(TableValue(row.key), fmt::format("{}", row.count));
    key_width = std::max(key_width, DisplayWidth(cells.back().first));
    count_width = std::max(count_width, cells.back().second.size());
  }

  bool key_right_aligned = IsRightAligned(key.type);
  lines.push_back(PadCell(key_header, key_width, key_right_aligned) + "  " +
                  PadCell(kCountColumn, count_width, /*right_aligned=*/true));
  for (const auto& [key_text, count_text] : cells) {
    lines.push_back(PadCell(key_text, key_width, key_right_aligned) + "  " +
                    PadCell(count_text, count_width, /*right_aligned=*/true));
  }
  return lines;
}

std::vector<std::string> FormatKeyedJson(const CounterInfo& counter,
                                         const std::vector<DecodedRow>& rows) {
  // NOTE: a key named `counter` or `count` repeats a member name in the
  // object, and JSON readers keep only one of the two. The metadata format
  // does not rule such names out yet.
  std::vector<std::string> lines;
  std::string label = JsonQuote(counter.label);
  std::string key_name = JsonQuote(counter.key->name);
  for (const DecodedRow& row : rows) {
    lines.push_back(fmt::format("{{\"counter\": {}, {}: {}, \"count\": {}}}",
                                label, key_name, JsonValue(row.key),
                                row.count));
  }
  return lines;
}

}  // namespace

std::vector<std::string> FormatCounter(const CounterInfo& counter,
                                       const std::vector<CounterRow>& rows,
                                       OutputFormat format, StackNamer* namer) {
  if (!counter.key) {
    switch (format) {
      case OutputFormat::kTable:
        return FormatKeylessTable(counter, rows);
      case OutputFormat::kJson:
        return FormatKeylessJson(counter, rows);
    }
  }

  std::vector<DecodedRow> sorted = DecodeAndSort(*counter.key, rows, namer);
  switch (format) {
    case OutputFormat::kTable:
      return FormatKeyedTable(counter, sorted);
    case OutputFormat::kJson:
      return FormatKeyedJson(counter, sorted);
  }
  return {};
}

}  // namespace nubpf::runtime
