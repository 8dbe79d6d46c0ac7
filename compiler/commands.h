// The commands a probe body can call, resolved by name once and then
// handled through exhaustive switches on Command.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nubpf::compiler {

enum class Command {
  kEmit,           // `emit {record}` or `{record} | emit`: send an event
  kSend,           // `send($value)`: the original proposal's emit of one value
  // Aggregations (check_aggregations.cpp). `count` counts calls, per
  // piped-in key if given; the others take an int piped in.
  kCount,          // `count [--by KEY]` or `KEY | count`
  kMathSum,        // `VALUE | math sum [--by KEY]`
  kMathAvg,        // `VALUE | math avg`
  kMathMin,        // `VALUE | math min`
  kMathMax,        // `VALUE | math max`
  kStats,          // `VALUE | stats`: count, sum, avg, min and max at once
  kHistogram,      // `VALUE | histogram [--linear MIN MAX STEP]`
  kPrint,          // `print $"..."`: a line the loader formats
  kStrLength,      // `str length`
  kStrDowncase,    // `str downcase`
  kStrUpcase,      // `str upcase`
  kStrContains,    // `str contains "x"`
  kStrStartsWith,  // `str starts-with "x"`
  kStrEndsWith,    // `str ends-with "x"`
  kStrSubstring,   // `str substring 1..3`
  kIntoInt,        // `into int`
  kIntoString,     // `into string`
  kIntoDuration,   // `into duration`: an int of nanoseconds as a duration
  kIntoFilesize,   // `into filesize`: an int of bytes as a file size
  kReadUserString, // `ADDRESS | read-user-string`: the string at a user address
  kGet,            // `get field`, `get 0`, `get --optional a.b`
  kLength,         // `length` of a list
  kFirst,          // `first` or `first N` of a list
  kLast,           // `last` or `last N` of a list
  kDefault,        // `default VALUE`: VALUE in place of null
  kStoreSet,       // `VALUE | store set NAME --key KEY`
  kStoreGet,       // `store get NAME --key KEY`: the value, or null
  kStoreDelete,    // `store delete NAME --key KEY`
  kStartTimer,     // `start-timer [NAME] --key KEY`: store the time now
  kStopTimer,      // `stop-timer [NAME] --key KEY`: the time since, or null
};

std::optional<Command> LookupCommand(std::string_view name);

// Returns the command names, in table order, for "did you mean" help.
std::vector<std::string> CommandNames();

}  // namespace nubpf::compiler
