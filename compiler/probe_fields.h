// The fields every probe record has, whatever its target: `pid tid uid gid
// comm ts cpu`. A tracepoint's own field of the same name wins over these.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/mir.h"

namespace nubpf::compiler {

enum class CommonField { kPid, kTid, kUid, kGid, kComm, kTimestamp, kCpu };

struct CommonFieldInfo {
  std::string_view name;
  CommonField field;
  mir::Type type;
};

std::optional<CommonFieldInfo> LookupCommonField(std::string_view name);

std::vector<std::string> CommonFieldNames();

}  // namespace nubpf::compiler
