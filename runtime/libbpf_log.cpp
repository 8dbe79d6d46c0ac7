#include "runtime/libbpf_log.h"

#include <bpf/libbpf.h>

#include <cstdarg>
#include <deque>
#include <mutex>

namespace nubpf::runtime {
namespace {

constexpr size_t kKeptWarningLines = 20;

struct LibbpfLogState {
  std::mutex mutex;
  std::FILE* verbose = nullptr;
  std::deque<std::string> warnings;
  // The text after the last newline, kept until the rest of the line
  // arrives, because libbpf may print one line in several calls.
  std::string partial_line;
};

LibbpfLogState& State() {
  static LibbpfLogState state;
  return state;
}

void KeepWarningText(LibbpfLogState& state, const std::string& text) {
  state.partial_line += text;
  size_t start = 0;
  size_t newline;
  while ((newline = state.partial_line.find('\n', start)) !=
         std::string::npos) {
    state.warnings.push_back(state.partial_line.substr(start, newline - start));
    if (state.warnings.size() > kKeptWarningLines) {
      state.warnings.pop_front();
    }
    start = newline + 1;
  }
  state.partial_line.erase(0, start);
}

int PrintLibbpfMessage(enum libbpf_print_level level, const char* format,
                       va_list arguments) {
  char buffer[4096];
  int length = std::vsnprintf(buffer, sizeof(buffer), format, arguments);
  if (length < 0) {
    return 0;
  }

  LibbpfLogState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (state.verbose != nullptr) {
    std::fputs(buffer, state.verbose);
  }
  switch (level) {
    case LIBBPF_WARN:
      KeepWarningText(state, buffer);
      break;
    case LIBBPF_INFO:
    case LIBBPF_DEBUG:
      break;
  }
  return length;
}

}  // namespace

void InstallLibbpfPrint(std::FILE* verbose) {
  {
    LibbpfLogState& state = State();
    std::lock_guard<std::mutex> lock(state.mutex);
    state.verbose = verbose;
  }
  libbpf_set_print(PrintLibbpfMessage);
}

std::vector<std::string> RecentLibbpfWarnings() {
  LibbpfLogState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  return {state.warnings.begin(), state.warnings.end()};
}

void ClearLibbpfWarnings() {
  LibbpfLogState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.warnings.clear();
  state.partial_line.clear();
}

void RestoreLibbpfWarnings(const std::vector<std::string>& lines) {
  LibbpfLogState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.warnings.assign(lines.begin(), lines.end());
  state.partial_line.clear();
}

}  // namespace nubpf::runtime
