#include "runtime/event_loop.h"

#include <bpf/libbpf.h>
#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <memory>
#include <optional>

#include "runtime/event_decoder.h"
#include "runtime/event_printer.h"
#include "runtime/lost_events.h"

namespace nubpf::runtime {
namespace {

// A signal that lands between the stop check and the start of a poll does
// not interrupt that poll, so polls are kept short enough for Ctrl-C to
// feel immediate.
constexpr std::chrono::milliseconds kPollSlice(200);

// Undecodable records are reported one by one up to this many, then only
// counted, so that a bad object cannot flood stderr.
constexpr uint64_t kReportedBadRecords = 3;

volatile std::sig_atomic_t stop_requested = 0;

void OnStopSignal(int) { stop_requested = 1; }

// The state of the ring buffer callback, passed through libbpf's `ctx`.
struct EventSink {
  const Metadata& metadata;
  OutputFormat format;
  EventPrinter printer;
  LostEventCounter lost;
  std::FILE* diagnostics;
  StackNamer* stacks;
  // The errno of the first failed write to stdout; 0 while writes work.
  int write_errno = 0;
  uint64_t bad_records = 0;
  bool printed = false;
  // When the run ends for --duration; unset without one. `draining` is set
  // while the records left after detaching are read.
  std::optional<std::chrono::steady_clock::time_point> deadline{};
  bool draining = false;
  // When the next --interval print is due; unset without --interval.
  std::optional<std::chrono::steady_clock::time_point> next_interval{};
  // When `nubpf_lost` is next read; unset when the object has no such map.
  std::optional<std::chrono::steady_clock::time_point> next_lost_check{};
};

// True when the callback should stop ring_buffer__poll(), which otherwise
// keeps consuming for as long as records arrive: a probe whose events the
// loader's own output causes would never return to the stop checks.
bool ShouldStopPolling(const EventSink& sink) {
  if (sink.draining) return false;
  if (stop_requested) return true;
  auto now = std::chrono::steady_clock::now();
  if (sink.next_interval && now >= *sink.next_interval) return true;
  if (sink.next_lost_check && now >= *sink.next_lost_check) return true;
  return sink.deadline && now >= *sink.deadline;
}

std::optional<MapHandle> LostMapHandle(const AttachedObject& object) {
  bpf_map* map = object.FindMap(kLostMapName);
  if (map == nullptr) return std::nullopt;
  return HandleOf(map);
}

// Reports the events lost since the last check. A failed write ends the
// run as a failed event write does.
std::optional<Error> CheckLostEvents(EventSink& sink) {
  errno = 0;
  ErrorOr<bool> written =
      ReportNewlyLostEvents(sink.lost, sink.format, sink.printer, sink.diagnostics);
  if (!written) return written.TakeError();
  if (!*written) sink.write_errno = errno != 0 ? errno : EIO;
  return std::nullopt;
}

int HandleRecord(void* context, void* data, size_t size) {
  EventSink& sink = *static_cast<EventSink*>(context);
  std::string_view record(static_cast<const char*>(data), size);

  ErrorOr<DecodedEvent> event = DecodeEvent(sink.metadata, record);
  if (!event) {
    ++sink.bad_records;
    if (sink.bad_records <= kReportedBadRecords) {
      fmt::print(sink.diagnostics, "nubpf-run: warning: skipped a record: {}\n",
                 event.error().message);
    }
    return 0;
  }
  if (sink.stacks != nullptr) NameStacks(event->values, *sink.stacks);

  errno = 0;
  if (!sink.printer.Print(*event)) {
    sink.write_errno = errno != 0 ? errno : EIO;
    // A negative return stops ring_buffer__poll() at this record.
    return -sink.write_errno;
  }
  sink.printed = true;
  // -EINTR ends this poll; the loop then finds the signal or the deadline.
  return ShouldStopPolling(sink) ? -EINTR : 0;
}

struct RingBufferDeleter {
  void operator()(ring_buffer* ring) const { ring_buffer__free(ring); }
};
using RingBufferPtr = std::unique_ptr<ring_buffer, RingBufferDeleter>;

// Sleeps for `duration` or until a signal arrives.
void SleepUnlessSignalled(std::chrono::milliseconds duration) {
  timespec request;
  request.tv_sec = static_cast<time_t>(duration.count() / 1000);
  request.tv_nsec = static_cast<long>(duration.count() % 1000) * 1000000;
  nanosleep(&request, nullptr);
}

Error PollError(int error_number) {
  Error error;
  error.message = fmt::format("polling ring buffer `{}` failed: {}",
                              kEventsMapName, std::strerror(error_number));
  return error;
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

ErrorOr<RunResult> RunEventLoop(AttachedObject& object,
                                const RunOptions& options) {
  EventSink sink{.metadata = object.metadata(),
                 .format = options.format,
                 .printer = EventPrinter(options.format, options.out, options.clock),
                 .lost = LostEventCounter(LostMapHandle(object)),
                 .diagnostics = options.diagnostics,
                 .stacks = options.stacks};

  // Opens the ring buffer when the object emits events.
  RingBufferPtr ring;
  if (bpf_map* events = object.FindMap(kEventsMapName)) {
    ring.reset(ring_buffer__new(bpf_map__fd(events), HandleRecord, &sink,
                                /*opts=*/nullptr));
    if (ring == nullptr) {
      Error error;
      error.message = fmt::format("cannot open ring buffer `{}`: {}",
                                  kEventsMapName, std::strerror(errno));
      return error;
    }
  }

  // Polls in slices until a stop.
  auto start = std::chrono::steady_clock::now();
  if (options.duration) sink.deadline = start + *options.duration;
  if (options.interval) sink.next_interval = start + *options.interval;
  if (object.FindMap(kLostMapName) != nullptr) sink.next_lost_check = start + kPollSlice;
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

    if (ring == nullptr) {
      SleepUnlessSignalled(slice);
      continue;
    }
    int polled = ring_buffer__poll(ring.get(), static_cast<int>(slice.count()));
    if (polled < 0 && polled != -EINTR && sink.write_errno == 0) {
      return PollError(-polled);
    }

    // A loss shows after the records read before it was noticed.
    auto now = std::chrono::steady_clock::now();
    if (sink.next_lost_check && now >= *sink.next_lost_check && sink.write_errno == 0) {
      if (auto error = CheckLostEvents(sink)) return std::move(*error);
      sink.next_lost_check = now + kPollSlice;
    }
  }

  // Detaches first, so that nothing new arrives, then runs the `end`
  // blocks, whose records are thus the last, and prints what is left.
  object.Detach();
  result.end_error = object.RunEndBlocks();
  if (ring != nullptr && sink.write_errno == 0) {
    sink.draining = true;
    ring_buffer__consume(ring.get());
  }
  if (sink.write_errno == 0) {
    if (auto error = CheckLostEvents(sink)) return std::move(*error);
  }

  if (sink.bad_records > kReportedBadRecords) {
    fmt::print(options.diagnostics,
               "nubpf-run: warning: skipped {} records in all that could "
               "not be decoded\n",
               sink.bad_records);
  }
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
