// Helpers of the `.nubpf` metadata parser that every line kind uses: the
// split line, value counts, numbers and the error that names the line.
// Only the metadata parsers (metadata.cpp, attach_metadata.cpp,
// aggregation_metadata.cpp and parameter_metadata.cpp) include this header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/error.h"
#include "runtime/field_type.h"
#include "runtime/metadata.h"

namespace nubpf::runtime {

// One line of the section split at its tabs; `number` is 1-based.
struct MetadataLine {
  uint32_t number = 0;
  std::vector<std::string_view> values;
};

// Returns the error for an invalid line, with the help to rebuild.
Error LineError(uint32_t line_number, std::string message);

// Returns the error for a section that a matching nubpfc would not write,
// such as one that is empty.
Error MetadataError(std::string message);

// Returns `text` as a message can show it: bytes outside printable ASCII
// as `\xNN`, and at most 40 bytes of it followed by `...`, because a
// corrupted section can hold any bytes.
std::string PrintableValue(std::string_view text);

std::vector<std::string_view> SplitAtTabs(std::string_view line);

// Checks that a line of a known kind has exactly `expected` values after
// its kind.
std::optional<Error> CheckValueCount(const MetadataLine& line, size_t expected);

// Parses value `index` of `line` as a decimal number; `what` names it in
// the error.
ErrorOr<uint32_t> ParseNumber(const MetadataLine& line, size_t index,
                              const char* what);
ErrorOr<uint64_t> ParseNumber64(const MetadataLine& line, size_t index,
                                const char* what);
// The same for a signed 64-bit number, which may start with `-`.
ErrorOr<int64_t> ParseSignedNumber64(const MetadataLine& line, size_t index,
                                     const char* what);

// Parses values `index` and `index + 1` as a source LINE and COLUMN.
ErrorOr<SourcePosition> ParsePosition(const MetadataLine& line, size_t index);

// Checks that a value of `type` can be `size` bytes: fixed-size types need
// their own size, strings at least one byte, and stacks their 8-byte
// header and whole 8-byte addresses, at least one.
std::optional<Error> CheckTypeSize(const MetadataLine& line, FieldType type,
                                   uint32_t size, std::string_view name);

// Parses a `param` line into `parameters` (parameter_metadata.cpp).
std::optional<Error> ParseParameterLine(const MetadataLine& line,
                                        std::vector<ParameterInfo>* parameters);

}  // namespace nubpf::runtime
