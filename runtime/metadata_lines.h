// Helpers of the `.nubpf` metadata parser that every line kind uses: the
// split line, value counts, numbers and the error that names the line.
// Only metadata.cpp and attach_metadata.cpp include this header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/error.h"

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

}  // namespace nubpf::runtime
