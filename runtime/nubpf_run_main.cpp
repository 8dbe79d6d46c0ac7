// nubpf-run: loads a BPF object written by nubpfc, attaches its probes,
// prints events as they arrive and counters at exit.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>
#include <string>

#include "runtime/duration.h"
#include "runtime/error.h"
#include "runtime/event_loop.h"
#include "runtime/exit_report.h"
#include "runtime/libbpf_log.h"
#include "runtime/loader.h"
#include "runtime/output_format.h"

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
  bool verbose = false;
};

struct Settings {
  std::string object_path;
  RunOptions run;
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
    error.message =
        fmt::format("invalid --format `{}`: expected `table` or `json`",
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
  return settings;
}

int Fail(const Error& error) {
  PrintError(error, stderr);
  return ToInt(error.exit_code);
}

int Run(const Settings& settings) {
  InstallStopSignals();
  std::FILE* verbose = settings.verbose ? stderr : nullptr;
  InstallLibbpfPrint(verbose);

  // Load and attach.
  LoaderOptions loader_options;
  loader_options.verbose = verbose;
  loader_options.warnings = stderr;
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
  ErrorOr<RunResult> result = RunEventLoop(**object, settings.run);
  if (!result) {
    return Fail(result.error());
  }

  // Print the counters, unless the reader of stdout has gone.
  switch (result->reason) {
    case StopReason::kSignal:
    case StopReason::kDuration:
      if (auto error = PrintCounters(**object, settings.run.format,
                                     result->printed_events, stdout)) {
        return Fail(*error);
      }
      break;
    case StopReason::kOutputClosed:
      break;
  }

  if (auto error = ReportLostEvents(**object, stderr)) {
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
      "runs its `end` blocks and prints every counter.",
      "nubpf-run");
  app.footer(nubpf::runtime::kExitCodesHelp);

  nubpf::runtime::CommandLine command_line;
  app.add_option("OBJECT", command_line.object_path,
                 "BPF object file written by nubpfc (FILE.bpf.o)")
      ->required();
  app.add_option("--format", command_line.format,
                 "output format: `table` for people (default) or `json` for "
                 "one JSON object per line")
      ->type_name("FORMAT");
  app.add_option("--duration", command_line.duration,
                 "stop after this long: `500ms`, `5sec` or `5s`, `2min`, "
                 "`1hr`; a bare number is seconds (default: run until "
                 "Ctrl-C or SIGTERM)")
      ->type_name("DURATION");
  app.add_flag("--verbose", command_line.verbose,
               "print each load step and libbpf's messages to stderr");
  // TODO: accept the probe file's `def main` flags (`--comm bash`) and
  // write them into `.rodata` before loading. The metadata format does not
  // describe parameters yet, so unknown flags are usage errors for now.

  try {
    app.parse(argc, argv);
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
  return nubpf::runtime::Run(*settings);
}
