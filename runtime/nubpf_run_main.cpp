// nubpf-run: loads a BPF object written by nubpfc, attaches its probes,
// prints events as they arrive, and aggregations and globals at exit and
// every --interval.
#include <fmt/core.h>

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
#include "runtime/exit_report.h"
#include "runtime/libbpf_log.h"
#include "runtime/load_errors.h"
#include "runtime/loader.h"
#include "runtime/object_inspection.h"
#include "runtime/object_file.h"
#include "runtime/output_format.h"
#include "runtime/stack_symbolizer.h"

namespace nubpf::runtime {
namespace {

constexpr const char* kExitCodesHelp =
    "Exit status:\n"
    "  0  the run ended: Ctrl-C, SIGTERM, --duration, or the reader of\n"
    "     stdout went away; --list or --verify printed the object\n"
    "  1  usage error: a missing object or an invalid flag value\n"
    "  2  the object could not be opened, loaded, attached or read, the\n"
    "     verifier rejected a program, or writing the output failed\n";

struct CommandLine {
  std::string object_path;
  std::string format = "table";
  // nullopt when --duration was not given, so that an explicit empty value
  // reaches ParseDuration() and is rejected.
  std::optional<std::string> duration;
  std::optional<std::string> interval;
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
  std::vector<ParameterValue> parameters;
  bool reset = false;
  bool verbose = false;
  bool allow_missing = false;
  std::string btf_path;
};

int ToInt(ExitCode code) { return static_cast<int>(code); }

Error UsageError(std::string message, std::string help) {
  Error error;
  error.exit_code = ExitCode::kUsage;
  error.message = std::move(message);
  error.help = std::move(help);
  return error;
}

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
  if (command_line.allow_missing && settings.mode == Mode::kList) {
    return UsageError("--allow-missing applies to loading, but --list does not load",
                      "leave out --allow-missing");
  }
  settings.allow_missing = command_line.allow_missing;

  if (command_line.btf && command_line.btf->empty()) {
    return UsageError("--btf is empty", "give the path of a BTF file, such as a copy of "
                                        "/sys/kernel/btf/vmlinux");
  }
  settings.btf_path = command_line.btf.value_or("");
  return settings;
}

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

  return ValidateModeFlags(command_line, std::move(settings));
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

// Reads the parameters that the object's metadata describes, without
// opening it with libbpf.
ErrorOr<std::vector<ParameterInfo>> ReadObjectParameters(const std::string& path) {
  ErrorOr<ObjectFileInfo> info = InspectObjectFile(path);
  if (!info) return info.TakeError();
  if (!info->nubpf_section) return MissingMetadataError(path);
  ErrorOr<Metadata> metadata = ParseMetadata(*info->nubpf_section);
  if (!metadata) {
    Error error = metadata.TakeError();
    error.message = fmt::format("`{}`: {}", path, error.message);
    return error;
  }
  return std::move(metadata->parameters);
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

LoaderOptions LoaderOptionsFor(const Settings& settings, std::FILE* verbose) {
  LoaderOptions loader_options;
  loader_options.verbose = verbose;
  loader_options.warnings = stderr;
  loader_options.parameters = settings.parameters;
  loader_options.allow_missing = settings.allow_missing;
  loader_options.btf_path = settings.btf_path;
  return loader_options;
}

// --list and --verify: print what the object contains or what the
// verifier did with it, and exit.
int Inspect(const Settings& settings) {
  std::FILE* verbose = settings.verbose ? stderr : nullptr;
  InstallLibbpfPrint(verbose);
  std::optional<Error> error =
      settings.mode == Mode::kList
          ? ListObjectTo(settings.object_path, settings.run.format, stdout)
          : VerifyObjectTo(settings.object_path, LoaderOptionsFor(settings, verbose),
                           settings.run.format, stdout);
  if (error) return Fail(*error);
  return ToInt(ExitCode::kOk);
}

int Run(const Settings& settings) {
  InstallStopSignals();
  std::FILE* verbose = settings.verbose ? stderr : nullptr;
  InstallLibbpfPrint(verbose);

  // Load and attach.
  LoaderOptions loader_options = LoaderOptionsFor(settings, verbose);
  ErrorOr<std::unique_ptr<AttachedObject>> object =
      LoadAndAttach(settings.object_path, loader_options);
  if (!object) {
    return Fail(object.error());
  }
  size_t probes = (*object)->probe_count();
  fmt::print(stderr, "nubpf-run: attached {} {}; press Ctrl-C to stop\n",
             probes, probes == 1 ? "probe" : "probes");
  std::fflush(stderr);

  // Print events until a stop; this also detaches the probes.
  StackSymbolizer symbolizer(stderr);
  RunOptions run = settings.run;
  run.stacks = &symbolizer;
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
  app.add_flag("--reset", command_line.reset,
               "clear every aggregation after each --interval print");
  app.add_flag("--verbose", command_line.verbose,
               "print each load step and libbpf's messages to stderr");
  app.add_flag("--list", command_line.list,
               "print the object's probes, maps, parameters, event layouts, "
               "aggregations, stores and globals, without loading it (no "
               "privileges needed); with `--format json` or `nuon`, one record "
               "per item with a `kind` column");
  app.add_flag("--verify", command_line.verify,
               "load every program, print the instructions the verifier "
               "processed and the translated and JIT-ed sizes of each, and "
               "exit without running `begin` blocks or attaching");
  app.add_flag("--allow-missing", command_line.allow_missing,
               "skip, with a warning, each probe whose target this machine "
               "lacks (a tracepoint, kernel function, file or symbol), and "
               "attach the others");
  app.add_option("--btf", command_line.btf,
                 "read the kernel's types for CO-RE relocations from this BTF "
                 "file instead of /sys/kernel/btf/vmlinux, for kernels "
                 "without it")
      ->type_name("FILE");
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
  if (settings->mode != nubpf::runtime::Mode::kRun) {
    return nubpf::runtime::Inspect(*settings);
  }
  return nubpf::runtime::Run(*settings);
}
