// Turns a CO-RE relocation's root type and access string into the names a
// C programmer would write, for reports about relocations.
#pragma once

#include <bpf/btf.h>
#include <linux/bpf.h>

#include <cstdint>
#include <string>

namespace nubpf::testing {

// Describes the access of a relocation of `kind` on type `type_id` of
// `object_btf`: the type for type-based kinds ("struct event_0"), the type
// and value for enum values ("enum pid_type::PIDTYPE_TGID"), and the type and
// field path for field kinds ("struct task_struct.real_parent"). An access
// string that does not fit the type is described as such instead.
std::string DescribeCoreAccess(const btf* object_btf, uint32_t type_id,
                               const std::string& access, bpf_core_relo_kind kind);

}  // namespace nubpf::testing
