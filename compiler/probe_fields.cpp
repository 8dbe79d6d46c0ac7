#include "compiler/probe_fields.h"

namespace nubpf::compiler {

namespace {
// pid is the thread group id (what user space calls the process id) and tid
// the thread id, as `bpf_get_current_pid_tgid` returns them.
using mir::Opcode;
using mir::ProbeValue;
using mir::Type;

const CommonFieldInfo kCommonFields[] = {
    {"pid", Opcode::kProbeValue, ProbeValue::kPid, Type::Int(32, false)},
    {"tid", Opcode::kProbeValue, ProbeValue::kTid, Type::Int(32, false)},
    {"uid", Opcode::kProbeValue, ProbeValue::kUid, Type::Int(32, false)},
    {"gid", Opcode::kProbeValue, ProbeValue::kGid, Type::Int(32, false)},
    {"comm", Opcode::kCommString, ProbeValue::kPid, Type::String(mir::kCommCapacity)},
    {"ts", Opcode::kProbeValue, ProbeValue::kTimestamp, Type::Int(64, false)},
    {"cpu", Opcode::kProbeValue, ProbeValue::kCpu, Type::Int(32, false)},
    // The id of the task's cgroup v2 folder: the inode number that
    // `stat -c %i /sys/fs/cgroup/PATH` prints.
    {"cgroup", Opcode::kProbeValue, ProbeValue::kCgroup, Type::Int(64, false)},
    {"task", Opcode::kProbeValue, ProbeValue::kTask, Type::Int(64, false), "task_struct"},
};
}  // namespace

std::optional<CommonFieldInfo> LookupCommonField(std::string_view name) {
  for (const CommonFieldInfo& info : kCommonFields) {
    if (info.name == name) return info;
  }
  return std::nullopt;
}

std::optional<mir::StackKind> LookupStackField(std::string_view name) {
  if (name == "kstack") return mir::StackKind::kKernel;
  if (name == "ustack") return mir::StackKind::kUser;
  return std::nullopt;
}

std::vector<std::string> CommonFieldNames() {
  std::vector<std::string> names;
  for (const CommonFieldInfo& info : kCommonFields) {
    names.emplace_back(info.name);
  }
  names.emplace_back("kstack");
  names.emplace_back("ustack");
  return names;
}

}  // namespace nubpf::compiler
