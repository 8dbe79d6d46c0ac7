// The flags that scope a run to one process: `-c 'CMD ARGS'` runs a command
// and `-p PID` follows a running process. The probe file's parameter
// `--target-pid`, when it declares one, receives that process's pid.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "runtime/error.h"
#include "runtime/parameters.h"

namespace nubpf::runtime {

// The parameter of `def main` that nubpf-run sets to the pid of -c or -p.
inline constexpr const char* kTargetPidParameter = "target-pid";

// The target process that -c or -p requests. Both fields are empty without
// either flag.
struct TargetRequest {
  // The argv of the command of -c.
  std::vector<std::string> command;
  // The process of -p.
  std::optional<pid_t> pid;

  bool empty() const { return command.empty() && !pid; }
};

// Checks -c and -p as CLI11 stored them: splits the command into words
// (SplitCommandWords), and reads the pid as a decimal number above 0.
// Rejects both flags together. Errors have exit code kUsage.
ErrorOr<TargetRequest> ParseTargetOptions(const std::optional<std::string>& command,
                                          const std::optional<std::string>& pid);

// Rejects a `--target-pid` among the parameter words of the command line
// when -c or -p sets it, with exit code kUsage. `parameters` are the
// object's, which the words have been checked against.
std::optional<Error> CheckTargetPidNotGiven(const TargetRequest& request,
                                            const std::vector<ParameterInfo>& parameters,
                                            const std::vector<std::string>& words);

// Appends `pid` as the value of the object's `--target-pid` to `values`,
// when `parameters` declares one. Fails when that parameter is not an int,
// which nubpfc does not allow.
std::optional<Error> AddTargetPidValue(const std::vector<ParameterInfo>& parameters,
                                       pid_t pid, std::vector<ParameterValue>* values);

}  // namespace nubpf::runtime
