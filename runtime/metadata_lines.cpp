#include "runtime/metadata_lines.h"

#include <fmt/core.h>

#include <charconv>

namespace nubpf::runtime {
namespace {

constexpr const char* kRebuildHelp =
    "the object was not written by a matching nubpfc; rebuild it with the "
    "nubpfc of this release";

template <typename Number>
ErrorOr<Number> ParseDecimal(const MetadataLine& line, size_t index,
                             const char* what, int bits) {
  std::string_view text = line.values[index];
  Number value = 0;
  auto [end, status] = std::from_chars(text.data(), text.data() + text.size(),
                                       value, /*base=*/10);
  if (text.empty() || status != std::errc() ||
      end != text.data() + text.size()) {
    return LineError(line.number,
                     fmt::format("{} `{}` is not a decimal number that fits "
                                 "in {} bits",
                                 what, PrintableValue(text), bits));
  }
  return value;
}

}  // namespace

Error LineError(uint32_t line_number, std::string message) {
  return MetadataError(fmt::format("invalid `.nubpf` metadata at line {}: {}",
                                   line_number, message));
}

Error MetadataError(std::string message) {
  Error error;
  error.message = std::move(message);
  error.help = kRebuildHelp;
  return error;
}

std::string PrintableValue(std::string_view text) {
  constexpr size_t kMaxBytes = 40;
  std::string escaped;
  for (size_t i = 0; i < text.size() && i < kMaxBytes; ++i) {
    unsigned char byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7f) {
      escaped += static_cast<char>(byte);
    } else {
      escaped += fmt::format("\\x{:02x}", byte);
    }
  }
  if (text.size() > kMaxBytes) escaped += "...";
  return escaped;
}

std::vector<std::string_view> SplitAtTabs(std::string_view line) {
  std::vector<std::string_view> values;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) {
      values.push_back(line.substr(start));
      return values;
    }
    values.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
}

std::optional<Error> CheckValueCount(const MetadataLine& line,
                                     size_t expected) {
  size_t found = line.values.size() - 1;
  if (found == expected) {
    return std::nullopt;
  }
  return LineError(line.number,
                   fmt::format("a `{}` line needs {} tab-separated values "
                               "after its kind, found {}",
                               line.values[0], expected, found));
}

ErrorOr<uint32_t> ParseNumber(const MetadataLine& line, size_t index,
                              const char* what) {
  return ParseDecimal<uint32_t>(line, index, what, /*bits=*/32);
}

ErrorOr<uint64_t> ParseNumber64(const MetadataLine& line, size_t index,
                                const char* what) {
  return ParseDecimal<uint64_t>(line, index, what, /*bits=*/64);
}

ErrorOr<int64_t> ParseSignedNumber64(const MetadataLine& line, size_t index,
                                     const char* what) {
  return ParseDecimal<int64_t>(line, index, what, /*bits=*/64);
}

ErrorOr<SourcePosition> ParsePosition(const MetadataLine& line,
                                      size_t index) {
  ErrorOr<uint32_t> source_line = ParseNumber(line, index, "LINE");
  if (!source_line) {
    return source_line.TakeError();
  }
  ErrorOr<uint32_t> column = ParseNumber(line, index + 1, "COLUMN");
  if (!column) {
    return column.TakeError();
  }
  return SourcePosition{*source_line, *column};
}

std::optional<Error> CheckTypeSize(const MetadataLine& line, FieldType type,
                                   uint32_t size, std::string_view name) {
  std::optional<uint32_t> fixed_size = FixedFieldSize(type);
  if (fixed_size && *fixed_size != size) {
    return LineError(line.number,
                     fmt::format("`{}` has type `{}` but size {}; a `{}` is "
                                 "{} bytes",
                                 name, FieldTypeName(type), size,
                                 FieldTypeName(type), *fixed_size));
  }
  if (IsStack(type)) {
    if (size < 16 || size % 8 != 0) {
      return LineError(line.number,
                       fmt::format("stack `{}` has size {}; a `{}` is 8 bytes of "
                                   "header and 8 bytes per frame, at least one",
                                   name, size, FieldTypeName(type)));
    }
    return std::nullopt;
  }
  if (!fixed_size && size == 0) {
    return LineError(line.number, fmt::format("string `{}` has size 0", name));
  }
  return std::nullopt;
}

}  // namespace nubpf::runtime
