#include "runtime/units.h"

#include <fmt/core.h>

#include <iterator>

namespace nubpf::runtime {

std::string FormatDuration(Duration duration) {
  struct Unit {
    const char* name;
    uint64_t nanoseconds;
  };
  static constexpr Unit kUnits[] = {
      {"day", 86'400'000'000'000}, {"hr", 3'600'000'000'000},
      {"min", 60'000'000'000},     {"sec", 1'000'000'000},
      {"ms", 1'000'000},           {"µs", 1'000},
      {"ns", 1},
  };
  if (duration.nanoseconds == 0) return "0sec";

  // The magnitude as unsigned, so that INT64_MIN has one too.
  bool negative = duration.nanoseconds < 0;
  uint64_t rest = negative ? 0 - static_cast<uint64_t>(duration.nanoseconds)
                           : static_cast<uint64_t>(duration.nanoseconds);
  std::string text = negative ? "-" : "";
  for (const Unit& unit : kUnits) {
    uint64_t count = rest / unit.nanoseconds;
    if (count == 0) continue;
    rest %= unit.nanoseconds;
    if (text.size() > (negative ? 1u : 0u)) text += ' ';
    text += fmt::format("{}{}", count, unit.name);
  }
  return text;
}

std::string FormatFileSize(FileSize size) {
  static constexpr const char* kUnits[] = {"kB", "MB", "GB", "TB", "PB", "EB"};
  uint64_t magnitude = size.bytes < 0 ? 0 - static_cast<uint64_t>(size.bytes)
                                      : static_cast<uint64_t>(size.bytes);
  if (magnitude < 1000) return fmt::format("{} B", size.bytes);

  // The largest unit the size reaches, and the size in tenths of it, cut
  // toward zero as Nushell does: 999999 bytes are `999.9 kB`.
  size_t unit = 0;
  uint64_t divisor = 1000;
  while (unit + 1 < std::size(kUnits) && magnitude / divisor >= 1000) {
    divisor *= 1000;
    ++unit;
  }
  uint64_t tenths = magnitude / (divisor / 10);
  return fmt::format("{}{}.{} {}", size.bytes < 0 ? "-" : "", tenths / 10, tenths % 10,
                     kUnits[unit]);
}

}  // namespace nubpf::runtime
