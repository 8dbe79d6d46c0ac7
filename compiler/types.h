// The types of the mid-level IR. Every value the checker produces has one,
// and the backend sizes registers, stack slots and record fields from it.
#pragma once

#include <cstdint>
#include <string>

namespace nubpf::mir {

enum class TypeKind { kBool, kInt, kString };

// The unit of an integer that came from a Nushell duration or file size.
// The value is an int in the probe. The unit only makes the loader show it
// as Nushell shows a duration (`1sec 500ms`) or a file size (`4.0 kB`).
enum class Unit { kNone, kDuration, kFileSize };

struct Type {
  TypeKind kind = TypeKind::kInt;
  // kInt: width in bits (8, 16, 32 or 64) and signedness.
  uint8_t bits = 64;
  bool is_signed = true;
  // kString: bytes of the buffer, the terminating NUL included.
  uint32_t capacity = 0;

  static Type Bool() { return {TypeKind::kBool, 8, false, 0}; }
  static Type Int(uint8_t bits, bool is_signed) {
    return {TypeKind::kInt, bits, is_signed, 0};
  }
  static Type String(uint32_t capacity) {
    return {TypeKind::kString, 0, false, capacity};
  }

  // Bytes the value takes in a record, a map key or a stack slot.
  uint32_t SizeInBytes() const;

  // Returns the name the metadata and the MIR dump use: `bool`, `u32`,
  // `i64`, `string[256]`.
  std::string ToString() const;

  bool operator==(const Type& other) const;
  bool operator!=(const Type& other) const { return !(*this == other); }
};

}  // namespace nubpf::mir
