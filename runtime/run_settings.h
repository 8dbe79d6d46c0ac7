// nubpf-run's command line: the flags as CLI11 stores them, and the
// settings of a run once their values are checked.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "runtime/error.h"
#include "runtime/event_loop.h"
#include "runtime/event_time.h"
#include "runtime/target_options.h"

namespace nubpf::runtime {

struct CommandLine {
  std::string object_path;
  std::string format = "table";
  // nullopt when --duration was not given, so that an explicit empty value
  // reaches ParseDuration() and is rejected.
  std::optional<std::string> duration;
  std::optional<std::string> interval;
  std::optional<std::string> timestamps;
  std::optional<std::string> ringbuf_size;
  // -c and -p, checked by ParseTargetOptions().
  std::optional<std::string> command;
  std::optional<std::string> pid;
  bool reset = false;
  bool verbose = false;
  bool list = false;
  bool verify = false;
  bool allow_missing = false;
  std::optional<std::string> btf;
};

// The action of nubpf-run on the object: run it, or, for --list and
// --verify, print what it contains or how it loads, and exit.
enum class Mode { kRun, kList, kVerify };

struct Settings {
  std::string object_path;
  Mode mode = Mode::kRun;
  RunOptions run;
  TimestampMode timestamps = TimestampMode::kNone;
  std::optional<uint32_t> ring_buffer_bytes;
  TargetRequest target;
  bool reset = false;
  bool verbose = false;
  bool allow_missing = false;
  std::string btf_path;
};

// Checks the flag values that CLI11 stores as plain strings, and the flags
// that cannot go together. Errors have exit code kUsage.
ErrorOr<Settings> ValidateCommandLine(const CommandLine& command_line);

}  // namespace nubpf::runtime
