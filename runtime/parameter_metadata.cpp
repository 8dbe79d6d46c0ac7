// The `param` lines of the `.nubpf` metadata: `param NAME TYPE OFFSET SIZE
// DEFAULT`, one per flag of `def main`.

#include <fmt/core.h>

#include "runtime/metadata_lines.h"

namespace nubpf::runtime {

std::optional<Error> ParseParameterLine(const MetadataLine& line,
                                        std::vector<ParameterInfo>* parameters) {
  if (auto error = CheckValueCount(line, 5)) return error;
  ParameterInfo parameter;
  parameter.name = std::string(line.values[1]);
  std::optional<FieldType> type = ParseFieldType(line.values[2]);
  bool known_type = type && (*type == FieldType::kI64 || *type == FieldType::kBool ||
                             *type == FieldType::kString || *type == FieldType::kDuration ||
                             *type == FieldType::kFileSize);
  if (!known_type) {
    return LineError(line.number,
                     fmt::format("parameter `{}` has TYPE `{}`; expected `i64`, `bool`, "
                                 "`string`, `duration` or `filesize`",
                                 parameter.name, line.values[2]));
  }
  parameter.type = *type;
  ErrorOr<uint32_t> offset = ParseNumber(line, 3, "param OFFSET");
  if (!offset) return offset.TakeError();
  parameter.offset = *offset;
  ErrorOr<uint32_t> size = ParseNumber(line, 4, "param SIZE");
  if (!size) return size.TakeError();
  parameter.size = *size;
  if (auto error = CheckTypeSize(line, parameter.type, parameter.size, parameter.name)) {
    return error;
  }
  parameter.default_text = std::string(line.values[5]);

  for (const ParameterInfo& earlier : *parameters) {
    if (earlier.name == parameter.name) {
      return LineError(line.number,
                       fmt::format("parameter `{}` is described twice", parameter.name));
    }
  }
  parameters->push_back(std::move(parameter));
  return std::nullopt;
}

}  // namespace nubpf::runtime
