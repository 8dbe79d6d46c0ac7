#include "runtime/session.h"

#include <bpf/libbpf.h>
#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <utility>
#include <vector>

#include "runtime/core_relocations.h"
#include "runtime/libbpf_log.h"
#include "runtime/load_errors.h"
#include "runtime/map_reader.h"
#include "runtime/target_options.h"

namespace nubpf::runtime {
namespace {

// Undecodable records are reported one by one up to this many, then only
// counted, so that a bad object cannot flood the warnings.
constexpr uint64_t kReportedBadRecords = 3;

// The return value of HandleRecord() that stops ring_buffer__poll() when a
// handler returns false. Any negative value stops the poll, and no poll
// fails with this errno on its own.
constexpr int kHandlerEnded = -ECANCELED;

Error StateError(const std::string& name, std::string message) {
  Error error;
  error.exit_code = ExitCode::kUsage;
  error.message = fmt::format("`{}`: {}", name, std::move(message));
  return error;
}

}  // namespace

Session::Session(ObjectSource source, Metadata metadata, SessionOptions options)
    : source_(std::move(source)), metadata_(std::move(metadata)), options_(options) {}

Session::~Session() {
  ring_buffer__free(ring_);
  // The object detaches and closes itself; the `end` blocks of a session
  // that was never stopped do not run.
  object_.reset();
}

ErrorOr<std::unique_ptr<Session>> Session::OpenFile(const std::string& path,
                                                    SessionOptions options) {
  ErrorOr<ObjectSource> source = ReadObjectFile(path);
  if (!source) return source.TakeError();
  return Open(std::move(*source), options);
}

ErrorOr<std::unique_ptr<Session>> Session::OpenBuffer(std::string name, std::string_view bytes,
                                                      SessionOptions options) {
  return Open(ObjectSource{std::move(name), std::string(bytes)}, options);
}

ErrorOr<std::unique_ptr<Session>> Session::Open(ObjectSource source, SessionOptions options) {
  ErrorOr<ObjectFileInfo> info = InspectObject(source);
  if (!info) return info.TakeError();
  if (!info->nubpf_section) return MissingMetadataError(source.name);

  ErrorOr<Metadata> metadata = ParseMetadata(*info->nubpf_section);
  if (!metadata) {
    Error error = metadata.TakeError();
    error.message = fmt::format("`{}`: {}", source.name, error.message);
    return error;
  }

  // libbpf 1.1 parses the running kernel's whole BTF for an object with any
  // CO-RE relocation (about 10 ms and 11 MiB for a 5.5 MB vmlinux BTF), and
  // the type-id relocations of records need none of it. With `--btf` they
  // stay, so that libbpf still reads and checks the file.
  if (options.btf_path.empty()) DropNoOpTypeIdRelocations(source.bytes);
  return std::unique_ptr<Session>(
      new Session(std::move(source), std::move(*metadata), options));
}

std::optional<Error> Session::SetParameter(std::string_view name, std::string_view text) {
  return SetParameterArguments({fmt::format("--{}", name), std::string(text)});
}

std::optional<Error> Session::SetParameterArguments(const std::vector<std::string>& words) {
  if (object_ != nullptr) {
    return StateError(source_.name, "parameters are written before the programs load, "
                                    "so they cannot change after Attach()");
  }
  ErrorOr<std::vector<ParameterValue>> values =
      ParseParameterArguments(metadata_.parameters, words);
  if (!values) return values.TakeError();

  // A later value of a parameter replaces the earlier one.
  for (ParameterValue& value : *values) {
    parameters_.erase(std::remove_if(parameters_.begin(), parameters_.end(),
                                     [&](const ParameterValue& set) {
                                       return set.name == value.name;
                                     }),
                      parameters_.end());
    parameters_.push_back(std::move(value));
  }
  return std::nullopt;
}

std::optional<Error> Session::SetTargetProcess(pid_t pid) {
  if (object_ != nullptr) {
    return StateError(source_.name, "the target process is set before the programs load, "
                                    "so it cannot change after Attach()");
  }
  parameters_.erase(std::remove_if(parameters_.begin(), parameters_.end(),
                                   [](const ParameterValue& set) {
                                     return set.name == kTargetPidParameter;
                                   }),
                    parameters_.end());
  if (auto error = AddTargetPidValue(metadata_.parameters, pid, &parameters_)) return error;
  target_pid_ = pid;
  return std::nullopt;
}

std::optional<Error> Session::Attach() {
  if (object_ != nullptr || stopped_) {
    return StateError(source_.name, "the session is attached already");
  }

  // libbpf's warnings name what it rejected, so the loader's errors quote
  // them; the hook is process-wide, as libbpf_set_print() is.
  InstallLibbpfPrint(options_.verbose);

  ErrorOr<std::unique_ptr<AttachedObject>> object = LoadAndAttach(source_, LoaderOptionsFor());
  if (!object) return object.TakeError();

  // Opens the ring buffer when the object emits events.
  if (bpf_map* events = (*object)->FindMap(kEventsMapName)) {
    ring_ = ring_buffer__new(bpf_map__fd(events), HandleRecord, this, /*opts=*/nullptr);
    if (ring_ == nullptr) {
      Error error;
      error.message = fmt::format("cannot open ring buffer `{}`: {}", kEventsMapName,
                                  std::strerror(errno));
      return error;
    }
  }
  object_ = std::move(*object);
  return std::nullopt;
}

ErrorOr<std::vector<ProgramVerification>> Session::Verify() {
  if (object_ != nullptr || stopped_) {
    return StateError(source_.name, "Verify() needs a session that is not attached");
  }
  InstallLibbpfPrint(options_.verbose);

  LoaderOptions loader_options = LoaderOptionsFor();
  loader_options.load_only = true;
  ErrorOr<std::unique_ptr<AttachedObject>> object = LoadAndAttach(source_, loader_options);
  if (!object) return object.TakeError();
  return ReadProgramVerifications(metadata_, (*object)->object());
}

LoaderOptions Session::LoaderOptionsFor() const {
  LoaderOptions loader_options;
  loader_options.verbose = options_.verbose;
  loader_options.warnings = options_.warnings;
  loader_options.parameters = parameters_;
  loader_options.ring_buffer_bytes = options_.ring_buffer_bytes;
  loader_options.uprobe_pid = target_pid_;
  loader_options.allow_missing = options_.allow_missing;
  loader_options.btf_path = options_.btf_path;
  return loader_options;
}

size_t Session::probe_count() const { return object_ == nullptr ? 0 : object_->probe_count(); }

std::optional<Error> Session::RequireAttached(const char* call) const {
  if (object_ != nullptr) return std::nullopt;
  return StateError(source_.name, fmt::format("{} needs an attached session; call Attach() "
                                              "first",
                                              call));
}

int Session::HandleRecord(void* context, void* data, size_t size) {
  Session& session = *static_cast<Session*>(context);
  std::string_view record(static_cast<const char*>(data), size);

  DecodedEvent& event = session.decoded_event_;
  if (std::optional<Error> error = DecodeEventInto(session.metadata_, record, event)) {
    ++session.undecodable_records_;
    if (session.undecodable_records_ <= kReportedBadRecords &&
        session.options_.warnings != nullptr) {
      fmt::print(session.options_.warnings, "{}: warning: skipped a record: {}\n", ProgramName(),
                 error->message);
    }
    return 0;
  }
  if (session.options_.stacks != nullptr) NameStacks(event.values, *session.options_.stacks);

  if (session.handler_ == nullptr || !*session.handler_) return 0;
  if ((*session.handler_)(event)) return 0;
  session.handler_ended_ = true;
  return kHandlerEnded;
}

int Session::events_fd() const { return ring_ == nullptr ? -1 : ring_buffer__epoll_fd(ring_); }

ErrorOr<size_t> Session::Poll(std::chrono::milliseconds timeout, const EventHandler& handler) {
  if (auto error = RequireAttached("Poll()")) return std::move(*error);
  if (ring_ == nullptr) {
    // Nothing can arrive: wait out the timeout, as a poll would.
    timespec request{static_cast<time_t>(timeout.count() / 1000),
                     static_cast<long>(timeout.count() % 1000) * 1000000};
    nanosleep(&request, nullptr);
    return size_t{0};
  }

  handler_ = &handler;
  handler_ended_ = false;
  int polled = ring_buffer__poll(ring_, static_cast<int>(timeout.count()));
  handler_ = nullptr;
  if (polled >= 0) return static_cast<size_t>(polled);
  if (polled == -EINTR || (polled == kHandlerEnded && handler_ended_)) return size_t{0};

  Error error;
  error.message = fmt::format("polling ring buffer `{}` failed: {}", kEventsMapName,
                              std::strerror(-polled));
  return error;
}

std::optional<Error> Session::Stop(const EventHandler& handler) {
  if (object_ == nullptr || stopped_) return std::nullopt;
  stopped_ = true;

  // Detaches first, so that nothing new arrives, then runs the `end`
  // blocks, whose records are thus the last.
  object_->Detach();
  std::optional<Error> end_error = object_->RunEndBlocks();
  if (ring_ != nullptr) {
    handler_ = &handler;
    handler_ended_ = false;
    ring_buffer__consume(ring_);
    handler_ = nullptr;
  }

  if (undecodable_records_ > kReportedBadRecords && options_.warnings != nullptr) {
    fmt::print(options_.warnings,
               "{}: warning: skipped {} records in all that could not be decoded\n", ProgramName(),
               undecodable_records_);
  }
  return end_error;
}

ErrorOr<std::vector<AggregationRow>> Session::ReadAggregation(const AggregationInfo& info) {
  ErrorOr<MapHandle> map = AggregationMap(info);
  if (!map) return map.TakeError();
  return ReadAggregationMap(*map, info);
}

std::optional<Error> Session::ResetAggregation(const AggregationInfo& info,
                                               const std::vector<AggregationRow>& rows) {
  ErrorOr<MapHandle> map = AggregationMap(info);
  if (!map) return map.TakeError();
  return ResetAggregationMap(*map, info, rows);
}

ErrorOr<MapHandle> Session::AggregationMap(const AggregationInfo& info) const {
  if (auto error = RequireAttached("reading an aggregation")) return std::move(*error);
  // Attach() has checked that every aggregation map of the metadata exists,
  // so only an AggregationInfo of another object misses.
  const bpf_map* map = object_->FindMap(info.map.c_str());
  if (map == nullptr) {
    return StateError(source_.name, fmt::format("the object has no aggregation map `{}`",
                                                info.map));
  }
  return HandleOf(map);
}

ErrorOr<std::vector<FieldValue>> Session::ReadGlobals() {
  if (auto error = RequireAttached("ReadGlobals()")) return std::move(*error);
  std::vector<FieldValue> values;
  if (metadata_.globals.empty()) return values;

  // Attach() has checked that `.data` exists and contains every global.
  ErrorOr<std::string> data = ReadArrayValue(HandleOf(object_->FindDataMap()));
  if (!data) return data.TakeError();
  for (const GlobalInfo& global : metadata_.globals) {
    values.push_back(
        DecodeValue(global.type, std::string_view(*data).substr(global.offset, global.size)));
  }
  return values;
}

ErrorOr<uint64_t> Session::LostEvents() {
  if (auto error = RequireAttached("LostEvents()")) return std::move(*error);
  if (bpf_map* map = object_->FindMap(kLostMapName)) return ReadLostEvents(map);
  bpf_map* bss = object_->FindBssMap();
  if (bss == nullptr) return uint64_t{0};
  return ReadCounter(HandleOf(bss), kLostCounterOffset);
}

ErrorOr<uint64_t> Session::DroppedUpdates(std::optional<uint32_t> drop_slot) {
  if (auto error = RequireAttached("DroppedUpdates()")) return std::move(*error);
  if (!drop_slot) return uint64_t{0};
  if (bpf_map* drops = object_->FindMap(kDropsMapName)) {
    return ReadPerCpuCount(HandleOf(drops), *drop_slot);
  }
  // Attach() has checked that `.bss` contains the slot.
  bpf_map* bss = object_->FindBssMap();
  if (bss == nullptr) return uint64_t{0};
  return ReadCounter(HandleOf(bss), kDropCountersOffset + 8 * *drop_slot);
}

}  // namespace nubpf::runtime
