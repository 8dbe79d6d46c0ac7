// nubpf-run: loads a BPF object written by nubpfc, attaches its probes,
// prints events as they arrive, and aggregations and globals at exit and
// every --interval. The work is the runtime library's (runtime/session.h);
// this file reads the command line and prints.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/error.h"
#include "runtime/event_loop.h"
#include "runtime/event_time.h"
#include "runtime/exit_report.h"
#include "runtime/load_errors.h"
#include "runtime/libbpf_log.h"
#include "runtime/listing_output.h"
#include "runtime/object_listing.h"
#include "runtime/output_format.h"
#include "runtime/program_verification.h"
#include "runtime/run_settings.h"
#include "runtime/session.h"
#include "runtime/stack_symbolizer.h"
#include "runtime/target_options.h"
#include "runtime/target_process.h"

namespace nubpf::runtime {
namespace {

constexpr const char* kExitCodesHelp =
    "Exit status:\n"
    "  0  the run ended: Ctrl-C, SIGTERM, --duration, the exit of the\n"
    "     process of -c or -p, or the reader of stdout went away;\n"
    "     --list or --verify printed the object\n"
    "  1  usage error: a missing object, an invalid flag value, or a -p\n"
    "     that names no process\n"
    "  2  the object could not be opened, loaded, attached or read, the\n"
    "     verifier rejected a program, the command of -c could not be\n"
    "     run, or writing the output failed\n"
    "The exit status of the command of -c is not passed on: nubpf-run\n"
    "exits with 0 after it, whatever its status.\n";

int ToInt(ExitCode code) { return static_cast<int>(code); }

// Flushes stdout after --list or --verify printed, and returns the exit
// status: 2 when a write failed (a full disk, a closed pipe), as for a run.
int FinishPrinting(const char* what) {
  if (std::fflush(stdout) == 0 && !std::ferror(stdout)) return ToInt(ExitCode::kOk);
  Error error;
  error.message = fmt::format("cannot write {} to standard output: {}", what,
                              std::strerror(errno != 0 ? errno : EIO));
  PrintError(error, stderr);
  return ToInt(error.exit_code);
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
ErrorOr<bool> PrintMapsWithTime(Session& session, const Settings& settings, bool reset,
                                StackNamer* stacks) {
  auto [rfc3339, table_time] = LocalTimeNow();
  MapPrintOptions options{settings.run.format, std::nullopt, stacks};
  if (settings.run.format != OutputFormat::kTable) {
    options.time = TimeValue{rfc3339};
    return PrintMaps(session, options, /*blank_line_first=*/false, reset, stdout);
  }
  fmt::print(stdout, "{}\n", table_time);
  ErrorOr<bool> printed =
      PrintMaps(session, options, /*blank_line_first=*/false, reset, stdout);
  if (printed && *printed) fmt::print(stdout, "\n");
  return printed;
}

int Fail(const Error& error) {
  PrintError(error, stderr);
  return ToInt(error.exit_code);
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

// Opens the object and sets the parameters given after it. An object that
// cannot be read is reported as such, whatever parameters follow it.
ErrorOr<std::unique_ptr<Session>> OpenSession(const std::string& path,
                                              const std::vector<std::string>& words,
                                              const SessionOptions& options) {
  ErrorOr<std::unique_ptr<Session>> session = Session::OpenFile(path, options);
  if (!session) return session.TakeError();
  if (auto error = (*session)->SetParameterArguments(words)) return std::move(*error);
  return session;
}

// --list: prints what the object contains, without loading it, and exits.
int List(const Settings& settings, const std::vector<std::string>& parameter_words) {
  InstallLibbpfPrint(settings.verbose ? stderr : nullptr);
  // The parameters are checked as for a run, although nothing uses them.
  ErrorOr<std::unique_ptr<Session>> opened =
      OpenSession(settings.object_path, parameter_words, SessionOptions{});
  if (!opened) return Fail(opened.error());

  ErrorOr<std::vector<ListingRecord>> records = ListObject(settings.object_path);
  if (!records) return Fail(records.error());
  errno = 0;
  PrintListing(*records, settings.run.format, stdout);
  return FinishPrinting("the listing");
}

// --verify: loads every program, prints what the verifier did with each,
// and exits.
int Verify(const Settings& settings, const std::vector<std::string>& parameter_words) {
  SessionOptions session_options{.verbose = settings.verbose ? stderr : nullptr,
                                 .warnings = stderr,
                                 .ring_buffer_bytes = settings.ring_buffer_bytes,
                                 .allow_missing = settings.allow_missing,
                                 .btf_path = settings.btf_path};
  ErrorOr<std::unique_ptr<Session>> opened =
      OpenSession(settings.object_path, parameter_words, session_options);
  if (!opened) return Fail(opened.error());

  ErrorOr<std::vector<ProgramVerification>> programs = (*opened)->Verify();
  if (!programs) return Fail(programs.error());
  errno = 0;
  PrintProgramVerifications(*programs, settings.run.format, stdout);
  return FinishPrinting("the verifier's counts");
}

int Run(const Settings& settings, const std::vector<std::string>& parameter_words) {
  InstallStopSignals();
  std::FILE* verbose = settings.verbose ? stderr : nullptr;

  // Open, then load and attach.
  StackSymbolizer symbolizer(stderr);
  SessionOptions session_options{.verbose = verbose,
                                 .warnings = stderr,
                                 .stacks = &symbolizer,
                                 .ring_buffer_bytes = settings.ring_buffer_bytes,
                                 .allow_missing = settings.allow_missing,
                                 .btf_path = settings.btf_path};
  ErrorOr<std::unique_ptr<Session>> opened =
      OpenSession(settings.object_path, parameter_words, session_options);
  if (!opened) {
    return Fail(opened.error());
  }
  Session& session = **opened;
  if (settings.timestamps != TimestampMode::kNone) {
    if (auto error = CheckEventTimes(session.metadata(), session.name())) {
      return Fail(*error);
    }
  }

  // Start the command of -c, held before its exec, or find the process of
  // -p, so that its pid is in `.rodata` when the programs load. It is
  // declared after the session so that it is destroyed first: a command
  // that never ran is killed, and one still running gets SIGTERM.
  if (auto error = CheckTargetPidNotGiven(settings.target, session.metadata().parameters,
                                          parameter_words)) {
    return Fail(*error);
  }
  ErrorOr<std::unique_ptr<TargetProcess>> target = StartTarget(settings.target);
  if (!target) {
    return Fail(target.error());
  }
  if (*target) {
    if (auto error = session.SetTargetProcess((*target)->pid())) {
      return Fail(*error);
    }
  }

  if (auto error = session.Attach()) {
    return Fail(*error);
  }
  // Relative times count from here, just after the last probe attached.
  EventClock clock = StartEventClock(settings.timestamps);
  size_t probes = session.probe_count();
  fmt::print(stderr, "nubpf-run: attached {} {}; press Ctrl-C to stop\n",
             probes, probes == 1 ? "probe" : "probes");
  std::fflush(stderr);

  // Let the command of -c exec, now that every probe is attached.
  if (*target) {
    if (auto error = (*target)->Release()) {
      return Fail(*error);
    }
  }

  // Print events until a stop; this also detaches the probes.
  RunOptions run = settings.run;
  run.clock = clock;
  if (settings.run.interval) {
    run.on_interval = [&session, &settings, &symbolizer] {
      return PrintMapsWithTime(session, settings, settings.reset, &symbolizer);
    };
  }
  if (*target) run.target_exit_fd = (*target)->exit_fd();
  ErrorOr<RunResult> result = RunEventLoop(session, run);
  if (!result) {
    return Fail(result.error());
  }

  // A command of -c that still runs gets SIGTERM, and is reaped before the
  // maps print, so that nothing it writes comes after them.
  if (*target) (*target)->Finish();

  // Print the maps, unless the reader of stdout has gone.
  switch (result->reason) {
    case StopReason::kSignal:
    case StopReason::kDuration:
    case StopReason::kTargetExited: {
      MapPrintOptions options{settings.run.format, std::nullopt, &symbolizer};
      ErrorOr<bool> printed =
          settings.run.interval
              ? PrintMapsWithTime(session, settings, /*reset=*/false, &symbolizer)
              : PrintMaps(session, options, result->printed_events,
                          /*reset=*/false, stdout);
      if (!printed) {
        return Fail(printed.error());
      }
      break;
    }
    case StopReason::kOutputClosed:
      break;
  }

  if (auto error = ReportLostEvents(session, stderr)) {
    return Fail(*error);
  }
  if (auto error = ReportDrops(session, stderr)) {
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
                 "`nuon` for one record per line, or `csv`; all but `table` "
                 "write a record `{\"lost_events\": N}` when the ring buffer "
                 "lost N events, which `table` reports on stderr")
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
  app.add_option("-c", command_line.command,
                 "run COMMAND and scope the run to it: COMMAND is one word that "
                 "nubpf-run splits as a shell splits a simple command (quotes "
                 "and backslashes; no variables or globs), as in `-c 'ls -l "
                 "/tmp'`. It starts once every probe is attached, uprobes and "
                 "USDT probes fire only in it, the object's `--target-pid` "
                 "parameter is its pid, and its exit ends the run. Its exit "
                 "status is not passed on. When the run ends first, through "
                 "Ctrl-C, SIGTERM, --duration or a closed stdout, it gets "
                 "SIGTERM, and SIGKILL if it still runs 5 seconds later")
      ->type_name("COMMAND");
  app.add_option("-p", command_line.pid,
                 "scope the run to the running process PID: uprobes and USDT "
                 "probes fire only in it, the object's `--target-pid` "
                 "parameter is PID, and its exit ends the run")
      ->type_name("PID");
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
      nubpf::runtime::ErrorOr<std::unique_ptr<nubpf::runtime::Session>> session =
          nubpf::runtime::Session::OpenFile(command_line.object_path);
      if (!session) return nubpf::runtime::Fail(session.error());
      app.footer(nubpf::runtime::ParameterHelp((*session)->metadata().parameters) + "\n" +
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
  switch (settings->mode) {
    case nubpf::runtime::Mode::kList:
      return nubpf::runtime::List(*settings, app.remaining());
    case nubpf::runtime::Mode::kVerify:
      return nubpf::runtime::Verify(*settings, app.remaining());
    case nubpf::runtime::Mode::kRun:
      break;
  }
  return nubpf::runtime::Run(*settings, app.remaining());
}
