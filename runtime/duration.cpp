#include "runtime/duration.h"

#include <fmt/core.h>

#include <charconv>
#include <cstdint>

namespace nubpf::runtime {
namespace {

// Keeps the deadline (now + duration) far from overflowing steady_clock.
constexpr int64_t kMaxMilliseconds = int64_t{3650} * 24 * 3600 * 1000;

struct Unit {
  const char* suffix;
  int64_t milliseconds;
};

// `s` and `h` are accepted next to Nushell's `sec` and `hr` because other
// command-line tools (timeout, sleep) spell them that way.
constexpr Unit kUnits[] = {
    {"ms", 1},          {"sec", 1000},       {"s", 1000},
    {"min", 60 * 1000}, {"hr", 3600 * 1000}, {"h", 3600 * 1000},
};

Error DurationError(std::string_view flag, std::string_view text,
                    std::string_view problem) {
  Error error;
  error.exit_code = ExitCode::kUsage;
  error.message = fmt::format("invalid {} `{}`: {}", flag, text, problem);
  error.help =
      "give a whole number with a unit: `500ms`, `5sec` or `5s`, `2min`, "
      "`1hr` or `1h`; a bare number is seconds";
  return error;
}

}  // namespace

ErrorOr<std::chrono::milliseconds> ParseDuration(std::string_view text,
                                                 std::string_view flag) {
  size_t digits_end = 0;
  while (digits_end < text.size() && text[digits_end] >= '0' &&
         text[digits_end] <= '9') {
    ++digits_end;
  }
  if (digits_end == 0) {
    return DurationError(flag, text, "expected a whole number first");
  }

  // Finds the multiplier of the unit; none means seconds.
  std::string_view suffix = text.substr(digits_end);
  int64_t unit_milliseconds = 0;
  if (suffix.empty()) {
    unit_milliseconds = 1000;
  }
  for (const Unit& unit : kUnits) {
    if (suffix == unit.suffix) {
      unit_milliseconds = unit.milliseconds;
    }
  }
  if (unit_milliseconds == 0 && !suffix.empty() && suffix[0] == '.') {
    return DurationError(flag, text, "fractions are not supported; use a smaller unit, "
                               "such as `500ms` for half a second");
  }
  if (unit_milliseconds == 0) {
    return DurationError(flag, text, fmt::format("unknown unit `{}`", suffix));
  }

  int64_t count = 0;
  auto [end, status] =
      std::from_chars(text.data(), text.data() + digits_end, count);
  if (status != std::errc() || count > kMaxMilliseconds / unit_milliseconds) {
    return DurationError(flag, text, "longer than 3650 days");
  }
  return std::chrono::milliseconds(count * unit_milliseconds);
}

}  // namespace nubpf::runtime
