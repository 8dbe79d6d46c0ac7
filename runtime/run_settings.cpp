#include "runtime/run_settings.h"

#include <fmt/core.h>
#include <unistd.h>

#include <utility>

#include "runtime/duration.h"
#include "runtime/output_format.h"
#include "runtime/ring_buffer_size.h"

namespace nubpf::runtime {
namespace {

// Checks --list, --verify, --allow-missing and --btf, and that the flags
// of a run are not given with --list or --verify, which exit at once.
ErrorOr<Settings> ValidateModeFlags(const CommandLine& command_line, Settings settings) {
  if (command_line.list && command_line.verify) {
    return UsageError("--list and --verify are given together",
                      "give one: --list shows what the object contains, --verify "
                      "loads its programs");
  }
  const char* mode_flag = command_line.list ? "--list" : "--verify";
  settings.mode = command_line.list     ? Mode::kList
                  : command_line.verify ? Mode::kVerify
                                        : Mode::kRun;
  if (settings.mode != Mode::kRun) {
    const char* run_flag = command_line.duration   ? "--duration"
                           : command_line.interval ? "--interval"
                           : command_line.reset    ? "--reset"
                           : command_line.command  ? "-c"
                           : command_line.pid      ? "-p"
                           : command_line.timestamps ? "--timestamps"
                                                     : nullptr;
    if (run_flag != nullptr) {
      return UsageError(fmt::format("{} applies to a run, but {} exits without running "
                                    "the probes",
                                    run_flag, mode_flag),
                        fmt::format("leave out {} or {}", run_flag, mode_flag));
    }
  }
  if (settings.mode == Mode::kList && settings.run.format == OutputFormat::kCsv) {
    return UsageError("--list cannot print `csv`: its items have different columns",
                      "give `--format json` or `--format nuon`, one record per item");
  }
  const char* load_flag = command_line.allow_missing ? "--allow-missing"
                          : command_line.ringbuf_size ? "--ringbuf-size"
                          : command_line.btf          ? "--btf"
                                                      : nullptr;
  if (load_flag != nullptr && settings.mode == Mode::kList) {
    return UsageError(fmt::format("{} applies to loading, but --list does not load", load_flag),
                      fmt::format("leave out {}", load_flag));
  }
  settings.allow_missing = command_line.allow_missing;

  if (command_line.btf && command_line.btf->empty()) {
    return UsageError("--btf is empty", "give the path of a BTF file, such as a copy of "
                                        "/sys/kernel/btf/vmlinux");
  }
  settings.btf_path = command_line.btf.value_or("");
  return settings;
}

}  // namespace

ErrorOr<Settings> ValidateCommandLine(const CommandLine& command_line) {
  Settings settings;
  settings.object_path = command_line.object_path;
  settings.verbose = command_line.verbose;

  std::optional<OutputFormat> format = ParseOutputFormat(command_line.format);
  if (!format) {
    Error error;
    error.exit_code = ExitCode::kUsage;
    error.message = fmt::format(
        "invalid --format `{}`: expected `table`, `json`, `nuon` or `csv`",
        command_line.format);
    return error;
  }
  settings.run.format = *format;

  if (command_line.duration) {
    ErrorOr<std::chrono::milliseconds> duration =
        ParseDuration(*command_line.duration);
    if (!duration) {
      return duration.TakeError();
    }
    settings.run.duration = *duration;
  }

  if (command_line.interval) {
    ErrorOr<std::chrono::milliseconds> interval =
        ParseDuration(*command_line.interval, "--interval");
    if (!interval) {
      return interval.TakeError();
    }
    if (interval->count() == 0) {
      Error error;
      error.exit_code = ExitCode::kUsage;
      error.message = fmt::format(
          "invalid --interval `{}`: the interval must be above 0",
          *command_line.interval);
      error.help = "give a duration such as `1s` or `500ms`";
      return error;
    }
    settings.run.interval = *interval;
  }
  if (command_line.reset && !command_line.interval) {
    Error error;
    error.exit_code = ExitCode::kUsage;
    error.message = "--reset clears the maps after each --interval print, "
                    "but no --interval was given";
    error.help = "add `--interval 1s`, or leave out --reset";
    return error;
  }
  settings.reset = command_line.reset;

  if (command_line.timestamps) {
    std::optional<TimestampMode> mode = ParseTimestampMode(*command_line.timestamps);
    if (!mode) {
      Error error;
      error.exit_code = ExitCode::kUsage;
      error.message = fmt::format("invalid --timestamps `{}`: expected `relative` or `wall`",
                                  *command_line.timestamps);
      return error;
    }
    settings.timestamps = *mode;
  }

  if (command_line.ringbuf_size) {
    ErrorOr<uint32_t> bytes = ParseRingBufferSize(
        *command_line.ringbuf_size, static_cast<uint64_t>(sysconf(_SC_PAGESIZE)));
    if (!bytes) return bytes.TakeError();
    settings.ring_buffer_bytes = *bytes;
  }
  ErrorOr<TargetRequest> target = ParseTargetOptions(command_line.command, command_line.pid);
  if (!target) return target.TakeError();
  settings.target = std::move(*target);

  return ValidateModeFlags(command_line, std::move(settings));
}

}  // namespace nubpf::runtime
