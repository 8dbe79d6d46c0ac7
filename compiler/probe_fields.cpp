#include "compiler/probe_fields.h"

namespace nubpf::compiler {

namespace {
// pid is the thread group id (what user space calls the process id) and tid
// the thread id, as `bpf_get_current_pid_tgid` returns them.
const CommonFieldInfo kCommonFields[] = {
    {"pid", CommonField::kPid, mir::Type::Int(32, false)},
    {"tid", CommonField::kTid, mir::Type::Int(32, false)},
    {"uid", CommonField::kUid, mir::Type::Int(32, false)},
    {"gid", CommonField::kGid, mir::Type::Int(32, false)},
    {"comm", CommonField::kComm, mir::Type::String(mir::kCommCapacity)},
    {"ts", CommonField::kTimestamp, mir::Type::Int(64, false)},
    {"cpu", CommonField::kCpu, mir::Type::Int(32, false)},
};
}  // namespace

std::optional<CommonFieldInfo> LookupCommonField(std::string_view name) {
  for (const CommonFieldInfo& info : kCommonFields) {
    if (info.name == name) return info;
  }
  return std::nullopt;
}

std::vector<std::string> CommonFieldNames() {
  std::vector<std::string> names;
  for (const CommonFieldInfo& info : kCommonFields) {
    names.emplace_back(info.name);
  }
  return names;
}

}  // namespace nubpf::compiler
