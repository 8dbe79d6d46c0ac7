// The fields every probe record has, whatever its target: `pid tid uid gid
// comm ts cpu cgroup task kstack ustack`. A tracepoint's own field of the
// same name wins over these.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/mir.h"

namespace nubpf::compiler {

// A common field and the MIR read that produces it: a kProbeValue through
// a helper, or kCommString.
struct CommonFieldInfo {
  std::string_view name;
  mir::Opcode opcode;
  mir::ProbeValue probe_value;  // for kProbeValue
  mir::Type type;
  // For a kernel pointer, such as `task`: the struct it points to, whose
  // BTF gives the field its pointer type in place of `type`.
  std::string_view kernel_struct = {};
};

std::optional<CommonFieldInfo> LookupCommonField(std::string_view name);

// Returns the stack `kstack` or `ustack` names, or nullopt for other names.
std::optional<mir::StackKind> LookupStackField(std::string_view name);

std::vector<std::string> CommonFieldNames();

}  // namespace nubpf::compiler
