#include "runtime/error.h"

#include <fmt/core.h>

#include <errno.h>

#include <utility>

namespace nubpf::runtime {

std::string_view ProgramName() { return program_invocation_short_name; }

void PrintError(const Error& error, std::FILE* out) {
  fmt::print(out, "{}: error: {}\n", ProgramName(), error.message);
  for (const std::string& line : error.details) {
    fmt::print(out, "  {}\n", line);
  }
  if (!error.help.empty()) {
    fmt::print(out, "help: {}\n", error.help);
  }
  std::fflush(out);
}

Error UsageError(std::string message, std::string help) {
  Error error;
  error.exit_code = ExitCode::kUsage;
  error.message = std::move(message);
  error.help = std::move(help);
  return error;
}

}  // namespace nubpf::runtime
