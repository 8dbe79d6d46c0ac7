#include "runtime/verifier_log.h"

#include <cctype>
#include <vector>

namespace nubpf::runtime {
namespace {

std::vector<std::string_view> NonEmptyLines(std::string_view log) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < log.size()) {
    size_t newline = log.find('\n', start);
    if (newline == std::string_view::npos) newline = log.size();
    std::string_view line = log.substr(start, newline - start);
    if (!line.empty()) lines.push_back(line);
    start = newline + 1;
  }
  return lines;
}

// Returns N of an instruction line `N: (OPCODE) ...`. State lines such as
// `14: R1=ctx() R10=fp0` have no opcode in brackets and do not count.
std::optional<uint32_t> InstructionIndex(std::string_view line) {
  size_t digits = 0;
  while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits]))) {
    ++digits;
  }
  if (digits == 0 || digits > 9 || line.substr(digits, 3) != ": (") return std::nullopt;
  return static_cast<uint32_t>(std::stoul(std::string(line.substr(0, digits))));
}

// True for a state line `N: R1=...`, which starts with a number too.
bool IsStateLine(std::string_view line) {
  size_t digits = 0;
  while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits]))) {
    ++digits;
  }
  return digits > 0 && line.substr(digits, 2) == ": ";
}

// True for the lines that are not part of a reason: the verifier's counts,
// register states and the `; SOURCE @ FILE:LINE` comments that kernels
// print from BTF.
bool IsBookkeeping(std::string_view line) {
  return line.substr(0, 10) == "processed " || line.substr(0, 18) == "verification time " ||
         line.substr(0, 12) == "stack depth " || line.substr(0, 1) == ";" || IsStateLine(line);
}

}  // namespace

VerifierRejection ParseVerifierLog(std::string_view log) {
  std::vector<std::string_view> lines = NonEmptyLines(log);
  VerifierRejection rejection;

  size_t reason_start = lines.size();
  for (size_t i = lines.size(); i > 0; --i) {
    if (std::optional<uint32_t> index = InstructionIndex(lines[i - 1])) {
      rejection.instruction = index;
      reason_start = i;
      break;
    }
  }

  if (rejection.instruction) {
    for (size_t i = reason_start; i < lines.size(); ++i) {
      if (IsBookkeeping(lines[i])) continue;
      if (!rejection.reason.empty()) rejection.reason += "; ";
      rejection.reason += lines[i];
    }
    return rejection;
  }
  for (size_t i = lines.size(); i > 0; --i) {
    if (IsBookkeeping(lines[i - 1])) continue;
    rejection.reason = lines[i - 1];
    break;
  }
  return rejection;
}

}  // namespace nubpf::runtime
