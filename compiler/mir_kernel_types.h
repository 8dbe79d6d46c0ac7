// The kernel types a MIR module reads with CO-RE, described so that the
// backend can give them to LLVM as debug info, from which LLVM writes
// `.BTF` and the CO-RE relocations of `.BTF.ext`. The checker fills the
// table from the kernel's BTF; the backend never reads BTF itself.
//
// A type lists only the members that probes use, with the offsets the
// kernel's BTF gives them and the struct's full size, so the object's
// `.BTF` stays small. libbpf matches members by name when it loads the
// object, so the missing members do not matter.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace nubpf::mir {

// An index in Module::kernel_types.
using KernelTypeId = uint32_t;
inline constexpr KernelTypeId kVoidKernelType = std::numeric_limits<KernelTypeId>::max();

enum class KernelTypeKind { kInt, kBool, kChar, kEnum, kPointer, kArray, kStruct, kUnion };

struct KernelMember {
  // The member's position among all members of the type in the kernel's
  // BTF, which MIR access paths name it by. Members are sorted by it, and
  // so by offset, as the kernel requires of BTF it loads.
  uint32_t btf_index = 0;
  std::string name;  // empty for an anonymous struct or union
  uint32_t bit_offset = 0;
  uint32_t bitfield_size = 0;  // 0 unless the member is a bitfield
  KernelTypeId type = 0;
};

struct KernelEnumerator {
  std::string name;
  int64_t value = 0;
};

struct KernelType {
  KernelTypeKind kind = KernelTypeKind::kInt;
  // The C name without `struct`, `union` or `enum`; empty when anonymous.
  std::string name;
  uint32_t size = 0;  // bytes
  bool is_signed = false;  // kInt and kEnum
  // kPointer: the pointee, or kVoidKernelType; kArray: the element type.
  KernelTypeId target = kVoidKernelType;
  uint32_t count = 0;  // kArray: elements; 0 for a flexible array
  std::vector<KernelMember> members;          // kStruct, kUnion
  std::vector<KernelEnumerator> enumerators;  // kEnum: the ones probes name
  // The type's id in the BTF the checker read, which the checker uses to
  // find the entry again. It differs between kernels, so nothing else
  // reads it.
  uint32_t btf_id = 0;
};

// The member a CO-RE access names, from the struct, union or array at a
// base address. Each step of `path` names a member of a struct or union
// by its btf_index, or an element of an array by its index. The walk goes
// through embedded structs, unions and arrays only: a pointer ends it.
//
// `$e.file.f_path.dentry` on `struct file` is root `file`, path
// [f_path, dentry]. LLVM writes it as the access string `0:N:M`, where N
// and M are the positions of `f_path` and `dentry` among the members of
// the object's own `.BTF` types.
struct CoreAccess {
  KernelTypeId root = 0;
  std::vector<uint32_t> path;
  // Set when the path names a member that `?` made optional: the access
  // must stay under the `core.exists` branch that tests that member,
  // because libbpf makes an access to a missing member fail at load time
  // unless the verifier proves that it never runs.
  bool guarded = false;
};

}  // namespace nubpf::mir
