#include "runtime/event_loop.h"

#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>
#include <thread>

#include "runtime/event_printer.h"
#include "runtime/lost_events.h"
#include "runtime/target_exit_wait.h"

namespace nubpf::runtime {
namespace {

// A signal that lands between the stop check and the start of a poll does
// not interrupt that poll, so polls are kept short enough for Ctrl-C to
// feel immediate.
constexpr std::chrono::milliseconds kPollSlice(200);

// The handler reads the clock for its deadlines once per this many
// records. A poll goes on only while records arrive faster than they
// print, so that many records take well under a millisecond unless a
// write to stdout blocks. Reading the clock for every record took about 4%
// of nubpf-run's time in `perf record` at full rate.
constexpr uint32_t kRecordsPerClockCheck = 64;

// After a poll that emptied the ring buffer, the loop waits this long
// before the next one, so that the probes fill it with a batch. Without the
// pause, a loader that prints faster than the probes emit catches up after
// nearly every record, sleeps in epoll_wait() and is woken by the next
// one. For 1M records at 400,000 a second on a busy 2-core machine, that
// made 17,000 to 117,000 context switches and lost up to 44% of the
// records, against 2,000 to 4,000 switches and no loss with the pause. The
// default 256 KiB ring buffer overflows during the pause only at more than
// 2.5 GB/s of records, the smallest, 4 KiB, at more than 40 MB/s.
constexpr std::chrono::microseconds kBatchPause(100);

volatile std::sig_atomic_t stop_requested = 0;

void OnStopSignal(int) { stop_requested = 1; }

// The state of the printing handler.
struct EventSink {
  OutputFormat format;
  EventPrinter printer;
  std::FILE* diagnostics;
  LostEventCounter lost;
  // The errno of the first failed write to stdout; 0 while writes work.
  int write_errno = 0;
  bool printed = false;
  // When the run ends for --duration; unset without one. `draining` is set
  // while the records left after detaching are printed.
  std::optional<std::chrono::steady_clock::time_point> deadline{};
  bool draining = false;
  // When the next --interval print is due; unset without --interval.
  std::optional<std::chrono::steady_clock::time_point> next_interval{};
  // When the lost count is next read.
  std::chrono::steady_clock::time_point next_lost_check{};
  // When a poll that also waits for the target's exit should end, so that
  // a flood of records cannot hide the exit.
  std::optional<std::chrono::steady_clock::time_point> poll_until{};
  // Records handled since ShouldStopPolling() last read the clock.
  uint32_t records_since_clock_check = 0;
};

// True when the handler should end the poll, which otherwise keeps
// consuming for as long as records arrive: a probe whose events the
// loader's own output causes would never return to the stop checks.
bool ShouldStopPolling(EventSink& sink) {
  if (sink.draining) return false;
  if (stop_requested) return true;
  if (++sink.records_since_clock_check < kRecordsPerClockCheck) return false;
  sink.records_since_clock_check = 0;
  auto now = std::chrono::steady_clock::now();
  if (sink.next_interval && now >= *sink.next_interval) return true;
  if (now >= sink.next_lost_check) return true;
  if (sink.poll_until && now >= *sink.poll_until) return true;
  return sink.deadline && now >= *sink.deadline;
}

// Reports the events lost since the last check. A failed write ends the
// run as a failed event write does.
std::optional<Error> CheckLostEvents(Session& session, EventSink& sink) {
  ErrorOr<uint64_t> total = session.LostEvents();
  if (!total) return total.TakeError();
  uint64_t newly_lost = sink.lost.Update(*total);

  errno = 0;
  if (!ReportNewlyLostEvents(newly_lost, *total, sink.format, sink.printer, sink.diagnostics)) {
    sink.write_errno = errno != 0 ? errno : EIO;
  }
  return std::nullopt;
}

// Sends what the last poll printed. A failed write ends the run as a
// failed event write does.
void FlushPrinted(EventSink& sink) {
  if (sink.write_errno != 0) return;
  errno = 0;
  if (!sink.printer.Flush()) sink.write_errno = errno != 0 ? errno : EIO;
}

}  // namespace

void InstallStopSignals() {
  struct sigaction action;
  std::memset(&action, 0, sizeof(action));
  action.sa_handler = OnStopSignal;
  sigemptyset(&action.sa_mask);
  // SA_RESETHAND restores the default action, so a second Ctrl-C ends a
  // run that hangs while stopping; the kernel detaches the probes when the
  // process exits. SA_RESTART resumes a write to a full pipe, which would
  // otherwise fail with EINTR and lose the output. epoll_wait() and
  // nanosleep() return early on a signal all the same, as signal(7) lists.
  action.sa_flags = SA_RESETHAND | SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  std::signal(SIGPIPE, SIG_IGN);
}

ErrorOr<RunResult> RunEventLoop(Session& session, const RunOptions& options) {
  EventSink sink{.format = options.format,
                 .printer = EventPrinter(options.format, options.out, options.clock),
                 .diagnostics = options.diagnostics,
                 .lost = LostEventCounter()};
  EventHandler print = [&sink](const DecodedEvent& event) {
    if (sink.write_errno != 0) return false;
    errno = 0;
    if (!sink.printer.Print(event)) {
      sink.write_errno = errno != 0 ? errno : EIO;
      return false;
    }
    sink.printed = true;
    return !ShouldStopPolling(sink);
  };

  // Polls in slices until a stop.
  auto start = std::chrono::steady_clock::now();
  if (options.duration) sink.deadline = start + *options.duration;
  if (options.interval) sink.next_interval = start + *options.interval;
  sink.next_lost_check = start + kPollSlice;
  RunResult result;
  while (true) {
    if (stop_requested) {
      result.reason = StopReason::kSignal;
      break;
    }
    if (sink.write_errno != 0) {
      break;
    }

    std::chrono::milliseconds slice = kPollSlice;
    if (options.duration) {
      auto remaining =
          *options.duration - (std::chrono::steady_clock::now() - start);
      if (remaining <= std::chrono::steady_clock::duration::zero()) {
        result.reason = StopReason::kDuration;
        break;
      }
      slice = std::min(slice,
                       std::chrono::ceil<std::chrono::milliseconds>(remaining));
    }

    // Prints the maps when the interval is due; the next one counts from
    // the due time, so that prints do not drift.
    if (sink.next_interval) {
      auto now = std::chrono::steady_clock::now();
      if (now >= *sink.next_interval) {
        ErrorOr<bool> printed = options.on_interval();
        if (!printed) return printed.TakeError();
        if (!*printed) {
          sink.write_errno = EPIPE;
          break;
        }
        while (*sink.next_interval <= now) *sink.next_interval += *options.interval;
      }
      slice = std::min(slice, std::chrono::ceil<std::chrono::milliseconds>(
                                  *sink.next_interval - now));
    }

    // With -c or -p, waits for the target's exit too, and then only takes
    // the records that are ready.
    if (options.target_exit_fd >= 0) {
      ErrorOr<ReadySources> ready =
          WaitForEventsOrExit(session.events_fd(), options.target_exit_fd, slice);
      if (!ready) return ready.TakeError();
      if (ready->target_exited) {
        result.reason = StopReason::kTargetExited;
        break;
      }
      if (!ready->events) continue;
      sink.poll_until = std::chrono::steady_clock::now() + slice;
      slice = std::chrono::milliseconds(0);
    }

    ErrorOr<size_t> polled = session.Poll(slice, print);
    if (!polled && sink.write_errno == 0) return polled.TakeError();

    // A loss shows after the records read before it was noticed.
    auto now = std::chrono::steady_clock::now();
    if (now >= sink.next_lost_check && sink.write_errno == 0) {
      if (auto error = CheckLostEvents(session, sink)) return std::move(*error);
      sink.next_lost_check = now + kPollSlice;
    }
    FlushPrinted(sink);

    // Poll() returns 0 when the handler ended it, because records were
    // still coming, so only a poll that caught up pauses.
    if (polled && *polled > 0) std::this_thread::sleep_for(kBatchPause);
  }

  // Stop() detaches, runs the `end` blocks and hands over what is left,
  // unless stdout is gone.
  sink.draining = true;
  result.end_error = session.Stop(sink.write_errno == 0 ? print : EventHandler());
  if (sink.write_errno == 0) {
    if (auto error = CheckLostEvents(session, sink)) return std::move(*error);
  }
  FlushPrinted(sink);

  if (sink.write_errno == EPIPE) {
    result.reason = StopReason::kOutputClosed;
  } else if (sink.write_errno != 0) {
    Error error;
    error.message = fmt::format("cannot write events to standard output: {}",
                                std::strerror(sink.write_errno));
    return error;
  }
  result.printed_events = sink.printed;
  return result;
}

}  // namespace nubpf::runtime
