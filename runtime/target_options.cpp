#include "runtime/target_options.h"

#include <fmt/core.h>

#include <charconv>
#include <climits>
#include <cstring>

#include "runtime/command_words.h"

namespace nubpf::runtime {
namespace {

std::optional<pid_t> ParsePid(const std::string& text) {
  long long value = 0;
  const char* end = text.data() + text.size();
  auto [rest, status] = std::from_chars(text.data(), end, value);
  if (status != std::errc() || rest != end || value <= 0 || value > INT_MAX) {
    return std::nullopt;
  }
  return static_cast<pid_t>(value);
}

}  // namespace

ErrorOr<TargetRequest> ParseTargetOptions(const std::optional<std::string>& command,
                                          const std::optional<std::string>& pid) {
  if (command && pid) {
    return UsageError("-c and -p cannot be given together",
                      "use -c to start a command and trace it, or -p to trace a "
                      "process that already runs");
  }

  TargetRequest request;
  if (command) {
    ErrorOr<std::vector<std::string>> words = SplitCommandWords(*command);
    if (!words) return words.TakeError();
    request.command = std::move(*words);
  }
  if (pid) {
    request.pid = ParsePid(*pid);
    if (!request.pid) {
      return UsageError(fmt::format("invalid -p `{}`: expected a process id", *pid),
                        "give a whole number above 0, such as `-p 1234`");
    }
  }
  return request;
}

std::optional<Error> CheckTargetPidNotGiven(const TargetRequest& request,
                                            const std::vector<ParameterInfo>& parameters,
                                            const std::vector<std::string>& words) {
  if (request.empty()) return std::nullopt;
  // Parsing, not a search of the words, so that a string value that reads
  // `--target-pid` does not count.
  ErrorOr<std::vector<ParameterValue>> given = ParseParameterArguments(parameters, words);
  if (!given) return std::nullopt;
  for (const ParameterValue& value : *given) {
    if (value.name != kTargetPidParameter) continue;
    return UsageError(
        fmt::format("--{} cannot be given with {}", kTargetPidParameter,
                    request.pid ? "-p" : "-c"),
        fmt::format("nubpf-run sets --{} to the pid of the process of -c or -p; "
                    "leave out one of them",
                    kTargetPidParameter));
  }
  return std::nullopt;
}

std::optional<Error> AddTargetPidValue(const std::vector<ParameterInfo>& parameters,
                                       pid_t pid, std::vector<ParameterValue>* values) {
  for (const ParameterInfo& parameter : parameters) {
    if (parameter.name != kTargetPidParameter) continue;
    if (parameter.type != FieldType::kI64 || parameter.size != 8) {
      Error error;
      error.message = fmt::format(
          "the object's parameter --{} is a {}, but -c and -p set it to a pid",
          kTargetPidParameter, FieldTypeName(parameter.type));
      error.help = fmt::format("declare it `--{}: int` and compile the probe file again",
                               kTargetPidParameter);
      return error;
    }
    int64_t value = pid;
    std::string bytes(sizeof(value), '\0');
    std::memcpy(bytes.data(), &value, sizeof(value));
    values->push_back({parameter.name, parameter.offset, std::move(bytes)});
  }
  return std::nullopt;
}

}  // namespace nubpf::runtime
