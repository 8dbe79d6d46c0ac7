// Durations and file sizes as Nushell 0.115 writes them with `into string`
// and in tables: `1sec 500ms`, `0sec`, `4.0 kB`, `1 B`.
#pragma once

#include <cstdint>
#include <string>

namespace nubpf::runtime {

// A duration in nanoseconds, such as a field computed from `5ms`.
struct Duration {
  int64_t nanoseconds = 0;
  bool operator==(const Duration& other) const { return nanoseconds == other.nanoseconds; }
  bool operator<(const Duration& other) const { return nanoseconds < other.nanoseconds; }
};

// A file size in bytes, such as a field computed from `4kb`.
struct FileSize {
  int64_t bytes = 0;
  bool operator==(const FileSize& other) const { return bytes == other.bytes; }
  bool operator<(const FileSize& other) const { return bytes < other.bytes; }
};

// Returns the duration's nonzero parts from days down to nanoseconds,
// separated by spaces: `1min 30sec`, `-2sec`, and `0sec` for zero.
std::string FormatDuration(Duration duration);

// Returns the size in the largest metric unit it reaches, with one decimal
// cut toward zero (`1.5 MB`, `999.9 kB`), or in bytes below 1000 (`999 B`).
std::string FormatFileSize(FileSize size);

}  // namespace nubpf::runtime
