// The commands a probe body can call, resolved by name once and then
// handled through exhaustive switches on Command.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nubpf::compiler {

enum class Command {
  kEmit,   // `emit {record}` or `{record} | emit`: send an event
  kCount,  // `count` or `VALUE | count`: count calls, per value if given
};

std::optional<Command> LookupCommand(std::string_view name);

// Returns the command names, in table order, for "did you mean" help.
std::vector<std::string> CommandNames();

}  // namespace nubpf::compiler
