// The types of the mid-level IR. Every value the checker produces has one,
// and the backend sizes registers, stack slots and record fields from it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

namespace nubpf::mir {

enum class TypeKind { kBool, kInt, kString, kPointer, kStack };

// The memory a pointer points into. The kernel reads each with its own
// helpers, so a user pointer is never followed as a kernel one.
enum class AddressSpace : uint8_t { kKernel, kUser };

// The stack a kStack value holds: the kernel's, or the user space one of
// the current task.
enum class StackKind : uint8_t { kKernel, kUser };

// Bytes before a stack value's addresses: its u32 frame count and u32 pid.
inline constexpr uint32_t kStackHeaderSize = 8;

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
  // kPointer: a 64-bit address into `space`. `pointee` is the pointed-to
  // type's id in the kernel BTF the checker reads (0 for `void`), which
  // only the checker uses, and `pointee_name` its C name, such as
  // `struct task_struct`, for the MIR dump and messages.
  AddressSpace space = AddressSpace::kKernel;
  uint32_t pointee = 0;
  std::string pointee_name;
  // kStack: which stack, and how many frames the value has room for. The
  // value is a u32 frame count, a u32 pid (0 for kernel stacks) and then
  // `stack_depth` u64 instruction addresses, unused ones 0.
  StackKind stack = StackKind::kKernel;
  uint32_t stack_depth = 0;

  static Type Bool() { return Make(TypeKind::kBool, 8, false); }
  static Type Int(uint8_t bits, bool is_signed) {
    return Make(TypeKind::kInt, bits, is_signed);
  }
  static Type String(uint32_t capacity) {
    Type type = Make(TypeKind::kString, 0, false);
    type.capacity = capacity;
    return type;
  }
  static Type Pointer(AddressSpace space, uint32_t pointee, std::string pointee_name) {
    Type type = Make(TypeKind::kPointer, 64, false);
    type.space = space;
    type.pointee = pointee;
    type.pointee_name = std::move(pointee_name);
    return type;
  }
  static Type Stack(StackKind stack, uint32_t depth) {
    Type type = Make(TypeKind::kStack, 0, false);
    type.stack = stack;
    type.stack_depth = depth;
    return type;
  }

  // Bytes the value takes in a record, a map key or a stack slot.
  uint32_t SizeInBytes() const;

  // Returns the name the metadata and the MIR dump use: `bool`, `u32`,
  // `i64`, `string[256]`, `kstack[32]`, and for pointers the space and
  // the C type: `kernel(struct task_struct *)`.
  std::string ToString() const;

  bool operator==(const Type& other) const;
  bool operator!=(const Type& other) const { return !(*this == other); }

 private:
  static Type Make(TypeKind kind, uint8_t bits, bool is_signed) {
    Type type;
    type.kind = kind;
    type.bits = bits;
    type.is_signed = is_signed;
    return type;
  }
};

}  // namespace nubpf::mir
