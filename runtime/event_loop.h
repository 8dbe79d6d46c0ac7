// Runs an attached object: polls the ring buffer and prints events until a
// signal, the --duration or a closed stdout ends the run.
#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <optional>

#include "runtime/error.h"
#include "runtime/event_time.h"
#include "runtime/output_format.h"
#include "runtime/session.h"

namespace nubpf::runtime {

struct RunOptions {
  OutputFormat format = OutputFormat::kTable;
  // Run until a signal when not set.
  std::optional<std::chrono::milliseconds> duration;
  // Receives events and print lines.
  std::FILE* out = stdout;
  // Receives the table format's lines about lost events.
  std::FILE* diagnostics = stderr;
  // With --timestamps, turns each record's time into its `time` column.
  EventClock clock;
  // With --interval, how often `on_interval` runs while the probes are
  // attached. It prints the maps, and returns false when the reader of
  // `out` went away, which ends the run as kOutputClosed. An error from it
  // ends the run too.
  std::optional<std::chrono::milliseconds> interval;
  std::function<ErrorOr<bool>()> on_interval;
  // With -c or -p, a pidfd of the target process, whose exit ends the run
  // as kTargetExited; -1 without one.
  int target_exit_fd = -1;
};

enum class StopReason {
  // SIGINT or SIGTERM arrived.
  kSignal,
  // The --duration ended.
  kDuration,
  // The reader of `out` went away (EPIPE): the user piped into `head`.
  kOutputClosed,
  // The process of -c or -p exited.
  kTargetExited,
};

struct RunResult {
  StopReason reason = StopReason::kSignal;
  // Whether any line went to `out`, so that what follows can be set apart.
  bool printed_events = false;
  // The failure of an `end` block, reported after the counters print.
  std::optional<Error> end_error;
};

// Makes SIGINT and SIGTERM end RunEventLoop() and ignores SIGPIPE, so that
// writing to a closed pipe fails with EPIPE instead of killing the process.
// A signal cuts a blocking poll short but not a blocking write, and each
// handler handles one signal only.
void InstallStopSignals();

// Polls the attached `session` and prints each record until a stop, and
// runs `on_interval` every `interval`. An object without events only
// waits. After the stop, Session::Stop() detaches the probes, runs the
// `end` blocks and prints the records still in the ring buffer, unless
// `out` is closed, so that what the `end` blocks print comes last. About
// once per poll slice, and once more at the end, it reports the events lost
// since the last check (ReportNewlyLostEvents()). Fails when polling fails,
// `on_interval` fails, the lost count cannot be read or a write to `out`
// fails with another error than EPIPE.
ErrorOr<RunResult> RunEventLoop(Session& session, const RunOptions& options);

}  // namespace nubpf::runtime
