// The flags of a probe file's `def main`: load-time parameters in the
// object's `.rodata`, which nubpf-run takes after the object on its
// command line (`nubpf-run x.bpf.o --comm bash --min-bytes 4kb`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/error.h"
#include "runtime/field_type.h"

namespace nubpf::runtime {

// A `param` line: flag `--NAME` of TYPE (`i64`, `bool`, `string`,
// `duration` or `filesize`) at OFFSET in `.rodata`, SIZE bytes long (for a
// string, its NUL included), with its default as the source wrote it.
struct ParameterInfo {
  std::string name;
  FieldType type = FieldType::kI64;
  uint32_t offset = 0;
  uint32_t size = 0;
  std::string default_text;
};

// The bytes to write at `offset` in `.rodata` for one flag given on the
// command line.
struct ParameterValue {
  std::string name;
  uint32_t offset = 0;
  std::string bytes;
};

// Parses the command-line words of the parameters, in order: `--NAME
// VALUE` or `--NAME=VALUE`, and for a bool `--NAME` alone, `--NAME true` or
// `--NAME false`. Values are spelled as Nushell spells them: decimal ints
// (`-5`, `1_000`), durations with a unit (`500ms`, `2sec`), file sizes
// with a unit or in bytes (`4kb`, `4kib`, `512`), and strings as they
// are. Rejects an unknown flag, a flag given twice, a missing value, a
// value that is not of the flag's type and a string longer than the
// object has room for, with an error of exit code kUsage.
ErrorOr<std::vector<ParameterValue>> ParseParameterArguments(
    const std::vector<ParameterInfo>& parameters, const std::vector<std::string>& words);

// Returns the type of a parameter as `--help`, `--list` and the errors show
// it: `int`, `bool`, `string`, `duration` or `filesize`.
const char* ParameterTypeLabel(FieldType type);

// Parses a file size as Nushell spells it: bytes (`4096`), or a whole
// number with a unit, case-insensitive (`256kb`, `1mib`). Returns the
// bytes, or nullopt for anything else or an overflow.
std::optional<int64_t> ParseFileSize(std::string_view text);

// Returns the part of `--help` that lists the parameters: one line each,
// with its type and default, or nothing when there are none.
std::string ParameterHelp(const std::vector<ParameterInfo>& parameters);

}  // namespace nubpf::runtime
