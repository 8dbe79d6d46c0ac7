// nubpf-run: loads a BPF object written by nubpfc, attaches its probes,
// prints events as they arrive, and aggregations and globals at exit and
// every --interval.
#include <fmt/core.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/duration.h"
#include "runtime/error.h"
#include "runtime/event_loop.h"
#include "runtime/event_time.h"
#include "runtime/exit_report.h"
#include "runtime/libbpf_log.h"
#include "runtime/load_errors.h"
#include "runtime/loader.h"
#include "runtime/object_file.h"
#include "runtime/output_format.h"
#include "runtime/ring_buffer_size.h"
#include "runtime/stack_symbolizer.h"

namespace nubpf::runtime {
namespace {

constexpr const char* kExitCodesHelp =
    "Exit status:\n"
    "  0  the run ended: Ctrl-C, SIGTERM, --duration, or the reader of\n"
    "     stdout went away\n"
    "  1  usage error: a missing object or an invalid flag value\n"
    "  2  the object could not be opened, loaded, attached or read, or\n"
    "     writing the output failed\n";

struct CommandLine {
  std::string object_path;
  std::string format = "table";
  // nullopt when --duration was not given, so that an explicit empty value
  // reaches ParseDuration() and is rejected.
  std::optional<std::string> duration;
  std::optional<std::string> interval;
  std::optional<std::string> timestamps;
  std::optional<std::string> ringbuf_size;
  bool reset = false;
  bool verbose = false;
};

struct Settings {
  std::string object_path;
  RunOptions run;
  std::vector<ParameterValue> parameters;
  TimestampMode timestamps = TimestampMode::kNone;
  std::optional<uint32_t> ring_buffer_bytes;
  bool reset = false;
  bool verbose = false;
};

int ToInt(ExitCode code) { return static_cast<int>(code); }

// Checks the flag values that CLI11 stores as plain strings.
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
  return settings;
}

// Returns the local time now as RFC 3339 with milliseconds
// (`2025-01-02T15:04:05.250+01:00`), so that prints of a sub-second
// --interval differ, and, for the table header, as `2025-01-02 15:04:05`.
std::pair<std::string, std::string> LocalTimeNow() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto milliseconds = std::chrono::duration_cast<std::chrono::milliseconds>(
                          now.time_since_epoch()).count() % 1000;
  std::tm local{};
  localtime_r(&seconds, &local);
  char date_time[40];
  char offset[8];
  char table[40];
  std::strftime(date_time, sizeof(date_time), "%Y-%m-%dT%H:%M:%S", &local);
  std::strftime(offset, sizeof(offset), "%z", &local);
  std::strftime(table, sizeof(table), "%Y-%m-%d %H:%M:%S", &local);
  // strftime writes the offset as +0100; RFC 3339 wants +01:00.
  std::string zone = offset;
  zone.insert(zone.size() - 2, ":");
  return {fmt::format("{}.{:03}{}", date_time, milliseconds, zone), table};
}

// Prints the maps with the time of the print, for --interval: a header
// line in table format, a `time` column in the others.
ErrorOr<bool> PrintMapsWithTime(const AttachedObject& object, const Settings& settings,
                                bool reset, StackNamer* stacks) {
  auto [rfc3339, table_time] = LocalTimeNow();
  MapPrintOptions options{settings.run.format, std::nullopt, stacks};
  if (settings.run.format != OutputFormat::kTable) {
    options.time = TimeValue{rfc3339};
    return PrintMaps(object, options, /*blank_line_first=*/false, reset, stdout);
  }
  fmt::print(stdout, "{}\n", table_time);
  ErrorOr<bool> printed =
      PrintMaps(object, options, /*blank_line_first=*/false, reset, stdout);
  if (printed && *printed) fmt::print(stdout, "\n");
  return printed;
}

int Fail(const Error& error) {
  PrintError(error, stderr);
  return ToInt(error.exit_code);
}

// Reads the object's metadata without opening it with libbpf.
ErrorOr<Metadata> ReadObjectMetadata(const std::string& path) {
  ErrorOr<ObjectFileInfo> info = InspectObjectFile(path);
  if (!info) return info.TakeError();
  if (!info->nubpf_section) return MissingMetadataError(path);
  ErrorOr<Metadata> metadata = ParseMetadata(*info->nubpf_section);
  if (!metadata) {
    Error error = metadata.TakeError();
    error.message = fmt::format("`{}`: {}", path, error.message);
    return error;
  }
  return metadata;
}

// Reads the parameters that the object's metadata describes.
ErrorOr<std::vector<ParameterInfo>> ReadObjectParameters(const std::string& path) {
  ErrorOr<Metadata> metadata = ReadObjectMetadata(path);
  if (!metadata) return metadata.TakeError();
  return std::move(metadata->parameters);
}

// Rejects --timestamps before anything loads when the object's records
// carry no time.
std::optional<Error> CheckTimestampsSupported(const Settings& settings) {
  if (settings.timestamps == TimestampMode::kNone) return std::nullopt;
  ErrorOr<Metadata> metadata = ReadObjectMetadata(settings.object_path);
  if (!metadata) return metadata.TakeError();
  return CheckEventTimes(*metadata, settings.object_path);
}

// Rejects a parameter written before the object, where CLI11 would take
// its value for the object: `nubpf-run --comm bash x.bpf.o`.
std::optional<Error> CheckParametersFollowObject(const CLI::App& app, int argc, char** argv,
                                                 const std::string& object_path) {
  for (int i = 1; i < argc && object_path != argv[i]; ++i) {
    std::string_view word = argv[i];
    if (word.substr(0, 2) != "--") continue;
    std::string name(word.substr(0, word.find('=')));
    if (app.get_option_no_throw(name) != nullptr) continue;
    Error error;
    error.exit_code = ExitCode::kUsage;
    error.message = fmt::format("`{}` comes before the object", name);
    error.help = fmt::format("give the probe file's parameters after the object, as in "
                             "`nubpf-run OBJECT {} VALUE`",
                             name);
    return error;
  }
  return std::nullopt;
}

// Checks the words after the object that are not nubpf-run's own options
// against the object's parameters, and keeps their values in `settings`.
std::optional<Error> ReadParameterArguments(const std::vector<std::string>& words,
                                            Settings* settings) {
  if (words.empty()) return std::nullopt;
  // An object without readable metadata has no parameters to match, so
  // the flags are usage errors, and the message gives the read error too.
  ErrorOr<std::vector<ParameterInfo>> parameters =
      ReadObjectParameters(settings->object_path);
  ErrorOr<std::vector<ParameterValue>> values =
      ParseParameterArguments(parameters ? *parameters : std::vector<ParameterInfo>{}, words);
  if (!values) {
    Error error = values.TakeError();
    if (!parameters) error.details.push_back(parameters.error().message);
    return error;
  }
  settings->parameters = std::move(*values);
  return std::nullopt;
}

int Run(const Settings& settings) {
  InstallStopSignals();
  std::FILE* verbose = settings.verbose ? stderr : nullptr;
  InstallLibbpfPrint(verbose);
  if (auto error = CheckTimestampsSupported(settings)) {
    return Fail(*error);
  }

  // Load and attach.
  LoaderOptions loader_options;
  loader_options.verbose = verbose;
  loader_options.warnings = stderr;
  loader_options.parameters = settings.parameters;
  loader_options.ring_buffer_bytes = settings.ring_buffer_bytes;
  ErrorOr<std::unique_ptr<AttachedObject>> object =
      LoadAndAttach(settings.object_path, loader_options);
  if (!object) {
    return Fail(object.error());
  }
  // Relative times count from here, just after the last probe attached.
  EventClock clock = StartEventClock(settings.timestamps);
  size_t probes = (*object)->probe_count();
  fmt::print(stderr, "nubpf-run: attached {} {}; press Ctrl-C to stop\n",
             probes, probes == 1 ? "probe" : "probes");
  std::fflush(stderr);

  // Print events until a stop; this also detaches the probes.
  StackSymbolizer symbolizer(stderr);
  RunOptions run = settings.run;
  run.stacks = &symbolizer;
  run.clock = clock;
  if (settings.run.interval) {
    const AttachedObject& attached = **object;
    run.on_interval = [&attached, &settings, &symbolizer] {
      return PrintMapsWithTime(attached, settings, settings.reset, &symbolizer);
    };
  }
  ErrorOr<RunResult> result = RunEventLoop(**object, run);
  if (!result) {
    return Fail(result.error());
  }

  // Print the maps, unless the reader of stdout has gone.
  switch (result->reason) {
    case StopReason::kSignal:
    case StopReason::kDuration: {
      MapPrintOptions options{settings.run.format, std::nullopt, &symbolizer};
      ErrorOr<bool> printed =
          settings.run.interval
              ? PrintMapsWithTime(**object, settings, /*reset=*/false, &symbolizer)
              : PrintMaps(**object, options, result->printed_events,
                          /*reset=*/false, stdout);
      if (!printed) {
        return Fail(printed.error());
      }
      break;
    }
    case StopReason::kOutputClosed:
      break;
  }

  if (auto error = ReportLostEvents(**object, stderr)) {
    return Fail(*error);
  }
  if (auto error = ReportDrops(**object, stderr)) {
    return Fail(*error);
  }
  if (result->end_error) {
    return Fail(*result->end_error);
  }
  return ToInt(ExitCode::kOk);
}

}  // namespace
}  // namespace nubpf::runtime

int main(int argc, char** argv) {
  using nubpf::runtime::ExitCode;

  CLI::App app(
      "Runs a BPF object written by nubpfc: runs its `begin` blocks, "
      "attaches its probes, prints each event as it arrives, and at exit "
      "runs its `end` blocks and prints every aggregation and global.",
      "nubpf-run");
  app.footer(nubpf::runtime::kExitCodesHelp);

  nubpf::runtime::CommandLine command_line;
  app.add_option("OBJECT", command_line.object_path,
                 "BPF object file written by nubpfc (FILE.bpf.o), then the "
                 "parameters its `def main` declares: `--NAME VALUE`")
      ->required();
  app.add_option("--format", command_line.format,
                 "output format: `table` for people (default), `json` or "
                 "`nuon` for one record per line, or `csv`")
      ->type_name("FORMAT");
  app.add_option("--duration", command_line.duration,
                 "stop after this long: `500ms`, `5sec` or `5s`, `2min`, "
                 "`1hr`; a bare number is seconds (default: run until "
                 "Ctrl-C or SIGTERM)")
      ->type_name("DURATION");
  app.add_option("--interval", command_line.interval,
                 "also print every aggregation and global this often, under "
                 "the local time (a `time` column in json, nuon and csv): "
                 "`500ms`, `1s`, `1min`")
      ->type_name("DURATION");
  app.add_option("--timestamps", command_line.timestamps,
                 "give each event the time the probe sent it, as a first `time` "
                 "column: `relative` to when the probes attached (seconds in the "
                 "table, nanoseconds in json and csv, a duration in nuon) or "
                 "`wall`, the local time (RFC 3339 in json and csv, a datetime "
                 "in nuon)")
      ->type_name("relative|wall");
  app.add_option("--ringbuf-size", command_line.ringbuf_size,
                 "size of the ring buffer that carries events to nubpf-run, a "
                 "power of two such as `1mib` or `4096` (default: the object's, "
                 "256kib as nubpfc writes it); a larger one loses fewer events "
                 "in a burst")
      ->type_name("SIZE");
  app.add_flag("--reset", command_line.reset,
               "clear every aggregation after each --interval print");
  app.add_flag("--verbose", command_line.verbose,
               "print each load step and libbpf's messages to stderr");
  // The probe file's parameters (`--comm bash`) follow the object, and
  // the object's metadata lists them.
  app.allow_extras();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    // `nubpf-run x.bpf.o --help` also lists the object's parameters.
    if (!command_line.object_path.empty()) {
      nubpf::runtime::ErrorOr<std::vector<nubpf::runtime::ParameterInfo>> parameters =
          nubpf::runtime::ReadObjectParameters(command_line.object_path);
      if (!parameters) return nubpf::runtime::Fail(parameters.error());
      app.footer(nubpf::runtime::ParameterHelp(*parameters) + "\n" +
                 nubpf::runtime::kExitCodesHelp);
    }
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    // CLI11 prints the message (or the help); its exit codes are its own,
    // so usage errors are mapped to the documented code.
    int code = app.exit(error);
    return code == 0 ? 0 : static_cast<int>(ExitCode::kUsage);
  }

  nubpf::runtime::ErrorOr<nubpf::runtime::Settings> settings =
      nubpf::runtime::ValidateCommandLine(command_line);
  if (!settings) {
    return nubpf::runtime::Fail(settings.error());
  }
  if (auto error = nubpf::runtime::CheckParametersFollowObject(app, argc, argv,
                                                                command_line.object_path)) {
    return nubpf::runtime::Fail(*error);
  }
  if (auto error = nubpf::runtime::ReadParameterArguments(app.remaining(), &*settings)) {
    return nubpf::runtime::Fail(*error);
  }
  return nubpf::runtime::Run(*settings);
}
