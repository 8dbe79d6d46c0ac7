// The value types of event fields and counter keys, as the `.nubpf`
// metadata spells them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace nubpf::runtime {

// The type of an event field or a counter key.
enum class FieldType {
  kU8,
  kU16,
  kU32,
  kU64,
  kI8,
  kI16,
  kI32,
  kI64,
  kBool,
  kString,
  kDuration,  // an i64 of nanoseconds, shown as Nushell shows a duration
  kFileSize,  // an i64 of bytes, shown as Nushell shows a file size
  // A stack: u32 frames, u32 pid, then u64 addresses (docs/object-format.md).
  kKernelStack,
  kUserStack,
};

// Parses the type names of the metadata (`u8`, `string`, `kstack`, ...);
// nullopt for anything else.
std::optional<FieldType> ParseFieldType(std::string_view name);

// Returns the metadata spelling of `type`, the inverse of ParseFieldType().
const char* FieldTypeName(FieldType type);

// The byte size of a fixed-size type, or nullopt for a string or a stack,
// whose size is given per field.
std::optional<uint32_t> FixedFieldSize(FieldType type);

// True for `kstack` and `ustack`.
bool IsStack(FieldType type);

}  // namespace nubpf::runtime
