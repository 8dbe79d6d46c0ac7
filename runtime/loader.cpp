#include "runtime/loader.h"

#include <bpf/libbpf.h>
#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "runtime/libbpf_log.h"
#include "runtime/load_errors.h"
#include "runtime/object_file.h"
#include "runtime/tracefs.h"

namespace nubpf::runtime {
namespace {

// The size of each program's verifier log buffer: the largest that older
// kernels (4.15 among them) accept, UINT_MAX >> 8 bytes, because a larger
// log fails the load with EINVAL there. The memory is allocated without
// being written, so only the pages the kernel fills cost anything.
//
// NOTE: kernels before 6.4 keep the start of a log that overflows, so for a
// program whose log exceeds this size the tail shown may lack the reason.
constexpr size_t kVerifierLogSize = 0xFFFFFFFFu >> 8;

// Everything the steps create. Its destructor is the one cleanup path:
// when a step fails, it releases what the earlier steps made.
struct LoadState {
  std::string path;
  const LoaderOptions& options;
  Metadata metadata;
  std::string metadata_text;
  bpf_object* object = nullptr;
  // One per program, in bpf_object__for_each_program order.
  std::vector<std::unique_ptr<char[]>> verifier_logs;
  std::vector<bpf_link*> links;

  LoadState(std::string object_path, const LoaderOptions& loader_options)
      : path(std::move(object_path)), options(loader_options) {}
  ~LoadState() {
    for (bpf_link* link : links) {
      bpf_link__destroy(link);
    }
    bpf_object__close(object);
  }
};

Error ObjectError(const LoadState& state, std::string message) {
  Error error;
  error.message = fmt::format("`{}`: {}", state.path, std::move(message));
  error.help =
      "the object does not match its own metadata; rebuild it with nubpfc";
  return error;
}

std::optional<Error> InspectFile(LoadState& state) {
  ErrorOr<ObjectFileInfo> info = InspectObjectFile(state.path);
  if (!info) {
    return info.TakeError();
  }
  if (!info->nubpf_section) {
    return MissingMetadataError(state.path);
  }
  state.metadata_text = std::move(*info->nubpf_section);
  return std::nullopt;
}

std::optional<Error> ReadMetadata(LoadState& state) {
  ErrorOr<Metadata> metadata = ParseMetadata(state.metadata_text);
  if (!metadata) {
    Error error = metadata.TakeError();
    error.message = fmt::format("`{}`: {}", state.path, error.message);
    return error;
  }
  state.metadata = std::move(*metadata);
  return std::nullopt;
}

std::optional<Error> OpenObject(LoadState& state) {
  ClearLibbpfWarnings();
  state.object = bpf_object__open_file(state.path.c_str(), /*opts=*/nullptr);
  if (state.object != nullptr) {
    return std::nullopt;
  }

  // libbpf's errno alone misleads (ENOENT for a missing symbol table), so
  // its warnings, which name what it rejected, carry the cause when present.
  int error_number = errno;
  Error error;
  error.message =
      fmt::format("libbpf cannot open `{}` as a BPF object", state.path);
  AddLibbpfWarnings(error);
  if (error.details.empty()) {
    error.message += fmt::format(": {}", std::strerror(error_number));
  }
  error.help =
      "rebuild the object with nubpfc; run with --verbose for "
      "libbpf's messages";
  return error;
}

// Checks that `map` exists and has the type and sizes the contract gives.
std::optional<Error> CheckMap(const LoadState& state, const char* name,
                              std::initializer_list<bpf_map_type> types,
                              uint32_t key_size, uint32_t value_size) {
  bpf_map* map = bpf_object__find_map_by_name(state.object, name);
  if (map == nullptr) {
    return ObjectError(
        state, fmt::format("the metadata uses map `{}`, which the object "
                           "does not define",
                           name));
  }

  bpf_map_type type = bpf_map__type(map);
  bool type_ok = false;
  for (bpf_map_type expected : types) {
    type_ok = type_ok || type == expected;
  }
  if (!type_ok) {
    return ObjectError(state,
                       fmt::format("map `{}` has type {}, expected {}", name,
                                   libbpf_bpf_map_type_str(type),
                                   libbpf_bpf_map_type_str(*types.begin())));
  }

  // A ring buffer has no key or value; its sizes are not checked.
  if (type == BPF_MAP_TYPE_RINGBUF) {
    return std::nullopt;
  }
  if (bpf_map__key_size(map) != key_size ||
      bpf_map__value_size(map) != value_size) {
    return ObjectError(
        state, fmt::format("map `{}` has a {}-byte key and a {}-byte value, "
                           "expected {} and {}",
                           name, bpf_map__key_size(map),
                           bpf_map__value_size(map), key_size, value_size));
  }
  return std::nullopt;
}

// Checks the object against its metadata before loading, so that a
// mismatch is reported by name here and not as a bad read at exit.
std::optional<Error> MatchMetadataToObject(LoadState& state) {
  for (const ProgramInfo& program : state.metadata.programs) {
    if (bpf_object__find_program_by_name(state.object,
                                         program.function.c_str()) == nullptr) {
      return ObjectError(
          state, fmt::format("the metadata describes program `{}`, which "
                             "the object does not contain",
                             program.function));
    }
  }

  bool has_events_map =
      bpf_object__find_map_by_name(state.object, kEventsMapName) != nullptr;
  if (!state.metadata.events.empty() || has_events_map) {
    if (auto error = CheckMap(state, kEventsMapName, {BPF_MAP_TYPE_RINGBUF},
                              /*key_size=*/0, /*value_size=*/0)) {
      return error;
    }
  }
  if (bpf_object__find_map_by_name(state.object, kLostMapName) != nullptr) {
    if (auto error = CheckMap(state, kLostMapName, {BPF_MAP_TYPE_PERCPU_ARRAY},
                              /*key_size=*/4, /*value_size=*/8)) {
      return error;
    }
  }

  for (const CounterInfo& counter : state.metadata.counters) {
    std::optional<Error> error =
        counter.key
            ? CheckMap(state, counter.map.c_str(),
                       {BPF_MAP_TYPE_PERCPU_HASH, BPF_MAP_TYPE_LRU_PERCPU_HASH},
                       counter.key->size, /*value_size=*/8)
            : CheckMap(state, counter.map.c_str(), {BPF_MAP_TYPE_PERCPU_ARRAY},
                       /*key_size=*/4, /*value_size=*/8);
    if (error) {
      return error;
    }
  }
  return std::nullopt;
}

// Gives each program its own log buffer. With the log level left at 0,
// libbpf loads without a log. Only when a load fails does it load again
// with level 1 into this buffer, so a non-empty buffer after a failed load
// names the program the verifier rejected.
std::optional<Error> PrepareVerifierLogs(LoadState& state) {
  bpf_program* program;
  bpf_object__for_each_program(program, state.object) {
    auto buffer = std::unique_ptr<char[]>(new char[kVerifierLogSize]);
    buffer[0] = '\0';
    int result =
        bpf_program__set_log_buf(program, buffer.get(), kVerifierLogSize);
    if (result < 0) {
      Error error;
      error.message = fmt::format(
          "cannot set the verifier log buffer of program `{}` in `{}`: {}",
          bpf_program__name(program), state.path, std::strerror(-result));
      return error;
    }
    state.verifier_logs.push_back(std::move(buffer));
  }
  return std::nullopt;
}

std::optional<Error> LoadObject(LoadState& state) {
  ClearLibbpfWarnings();
  int result = bpf_object__load(state.object);
  if (result == 0) {
    // The logs are only read after a failure. Free them, and first make
    // sure libbpf keeps no pointer into them.
    bpf_program* program;
    bpf_object__for_each_program(program, state.object) {
      bpf_program__set_log_buf(program, nullptr, 0);
    }
    state.verifier_logs.clear();
    return std::nullopt;
  }

  size_t index = 0;
  bpf_program* program;
  bpf_object__for_each_program(program, state.object) {
    const char* log = state.verifier_logs[index++].get();
    if (log[0] != '\0') {
      return VerifierError(state.path, state.metadata,
                           bpf_program__name(program), log);
    }
  }

  int error_number = -result;
  if (error_number == EPERM || error_number == EACCES) {
    return PrivilegeError(state.path, "load", error_number);
  }
  Error error;
  error.message = fmt::format("cannot load `{}`: {}", state.path,
                              std::strerror(error_number));
  AddLibbpfWarnings(error);
  error.help = "run with --verbose for libbpf's messages";
  return error;
}

// A missing tracefs is only a warning here: libbpf also looks for
// tracepoints under /sys/kernel/debug/tracing, and attaching names the
// cause when neither exists.
std::optional<Error> MountTracefs(LoadState& state) {
  if (std::optional<Error> error =
          EnsureTracefsMounted(state.options.verbose)) {
    fmt::print(state.options.warnings, "nubpf-run: warning: {}\n",
               error->message);
  }
  return std::nullopt;
}

std::optional<Error> AttachPrograms(LoadState& state) {
  bpf_program* program;
  bpf_object__for_each_program(program, state.object) {
    if (!bpf_program__autoload(program)) {
      continue;
    }

    ClearLibbpfWarnings();
    bpf_link* link = bpf_program__attach(program);
    if (link == nullptr) {
      int error_number = errno;
      return AttachError(state.metadata, bpf_program__name(program),
                         bpf_program__section_name(program), error_number);
    }
    state.links.push_back(link);

    if (state.options.verbose != nullptr) {
      fmt::print(state.options.verbose, "nubpf-run: attached `{}` to {}\n",
                 bpf_program__name(program),
                 bpf_program__section_name(program));
    }
  }
  return std::nullopt;
}

struct LoadStep {
  const char* name;
  std::optional<Error> (*run)(LoadState&);
};

constexpr LoadStep kLoadSteps[] = {
    {"check the ELF header", InspectFile},
    {"read the .nubpf metadata", ReadMetadata},
    {"open the object with libbpf", OpenObject},
    {"match the metadata to the object", MatchMetadataToObject},
    {"prepare verifier logs", PrepareVerifierLogs},
    {"load programs and maps", LoadObject},
    {"mount tracefs if missing", MountTracefs},
    {"attach programs", AttachPrograms},
};

}  // namespace

AttachedObject::AttachedObject(std::string path, Metadata metadata,
                               bpf_object* object, std::vector<bpf_link*> links)
    : path_(std::move(path)),
      metadata_(std::move(metadata)),
      object_(object),
      links_(std::move(links)) {}

AttachedObject::~AttachedObject() {
  Detach();
  bpf_object__close(object_);
}

bpf_map* AttachedObject::FindMap(const char* name) const {
  return bpf_object__find_map_by_name(object_, name);
}

void AttachedObject::Detach() {
  for (bpf_link* link : links_) {
    bpf_link__destroy(link);
  }
  links_.clear();
}

ErrorOr<std::unique_ptr<AttachedObject>> LoadAndAttach(
    const std::string& path, const LoaderOptions& options) {
  LoadState state(path, options);
  for (const LoadStep& step : kLoadSteps) {
    if (options.verbose != nullptr) {
      fmt::print(options.verbose, "nubpf-run: {}\n", step.name);
    }
    if (std::optional<Error> error = step.run(state)) {
      return std::move(*error);
    }
  }

  return std::make_unique<AttachedObject>(
      std::move(state.path), std::move(state.metadata),
      std::exchange(state.object, nullptr), std::exchange(state.links, {}));
}

}  // namespace nubpf::runtime
