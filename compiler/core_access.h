// Walking and naming CO-RE accesses (mir::CoreAccess) over a module's
// kernel types, for the MIR printer, the MIR verifier and the backend.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/mir_kernel_types.h"

namespace nubpf::mir {

// One step of an access: a member of a struct or union, or an element of
// an array.
struct AccessStep {
  KernelTypeId parent = 0;
  // The member's position in parent's `members` (which is also its
  // position among the members of the object's BTF type), or the element
  // index.
  uint32_t position = 0;
  const KernelMember* member = nullptr;  // null for an array element
  KernelTypeId type = 0;                 // the member's or element's type
};

// Returns the steps of `access`, or nullopt with `error` set when a step
// names no member, indexes past an array or goes through a pointer.
std::optional<std::vector<AccessStep>> ResolveAccess(
    const std::vector<KernelType>& types, const CoreAccess& access,
    std::string* error);

// Returns a type's name for the MIR dump: `struct task_struct`, `u32`,
// `char[16]`, `struct task_struct *`; an anonymous struct, union or enum is
// `struct #N`, after its index.
std::string KernelTypeLabel(const std::vector<KernelType>& types, KernelTypeId id);

// Returns an access as `task_struct.se.vruntime` or `pid.numbers[0].nr`,
// with `(anonymous)` for anonymous members, or the root's label, such as
// `i32`, for an access without members.
std::string AccessText(const std::vector<KernelType>& types, const CoreAccess& access);

}  // namespace nubpf::mir
