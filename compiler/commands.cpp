#include "compiler/commands.h"

namespace nubpf::compiler {

namespace {
struct CommandEntry {
  std::string_view name;
  Command command;
};

constexpr CommandEntry kCommands[] = {
    {"emit", Command::kEmit},
    {"send", Command::kSend},
    {"count", Command::kCount},
    {"math sum", Command::kMathSum},
    {"math avg", Command::kMathAvg},
    {"math min", Command::kMathMin},
    {"math max", Command::kMathMax},
    {"stats", Command::kStats},
    {"histogram", Command::kHistogram},
    {"print", Command::kPrint},
    {"str length", Command::kStrLength},
    // Nushell 0.114 renamed `str downcase` and `str upcase`, and 0.115
    // still takes the old names with a deprecation warning.
    {"str lowercase", Command::kStrDowncase},
    {"str uppercase", Command::kStrUpcase},
    {"str downcase", Command::kStrDowncase},
    {"str upcase", Command::kStrUpcase},
    {"str contains", Command::kStrContains},
    {"str starts-with", Command::kStrStartsWith},
    {"str ends-with", Command::kStrEndsWith},
    {"str substring", Command::kStrSubstring},
    {"into int", Command::kIntoInt},
    {"into string", Command::kIntoString},
    {"into duration", Command::kIntoDuration},
    {"into filesize", Command::kIntoFilesize},
    {"read-user-string", Command::kReadUserString},
    {"get", Command::kGet},
    {"length", Command::kLength},
    {"first", Command::kFirst},
    {"last", Command::kLast},
    {"default", Command::kDefault},
    {"store set", Command::kStoreSet},
    {"store get", Command::kStoreGet},
    {"store delete", Command::kStoreDelete},
    {"start-timer", Command::kStartTimer},
    {"stop-timer", Command::kStopTimer},
};
}  // namespace

std::optional<Command> LookupCommand(std::string_view name) {
  for (const CommandEntry& entry : kCommands) {
    if (entry.name == name) return entry.command;
  }
  return std::nullopt;
}

std::vector<std::string> CommandNames() {
  std::vector<std::string> names;
  for (const CommandEntry& entry : kCommands) {
    names.emplace_back(entry.name);
  }
  return names;
}

}  // namespace nubpf::compiler
