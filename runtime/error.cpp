#include "runtime/error.h"

#include <fmt/core.h>

namespace nubpf::runtime {

void PrintError(const Error& error, std::FILE* out) {
  fmt::print(out, "nubpf-run: error: {}\n", error.message);
  for (const std::string& line : error.details) {
    fmt::print(out, "  {}\n", line);
  }
  if (!error.help.empty()) {
    fmt::print(out, "help: {}\n", error.help);
  }
  std::fflush(out);
}

}  // namespace nubpf::runtime
