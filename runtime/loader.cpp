#include "runtime/loader.h"

#include <bpf/libbpf.h>
#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "runtime/aggregation_value.h"
#include "runtime/attach.h"
#include "runtime/kernel_btf_check.h"
#include "runtime/libbpf_log.h"
#include "runtime/load_errors.h"
#include "runtime/load_state.h"
#include "runtime/missing_targets.h"
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

Error ObjectError(const LoadState& state, std::string message) {
  Error error;
  error.message = fmt::format("`{}`: {}", state.path, std::move(message));
  error.help =
      "the object does not match its own metadata; rebuild it with nubpfc";
  return error;
}

std::optional<Error> InspectFile(LoadState& state) {
  ErrorOr<ObjectFileInfo> info = InspectObject(state.source);
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
  state.object = OpenBpfObject(state.source, state.options.btf_path);
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

// Returns libbpf's map of `section`: an internal map whose name is a
// prefix of the object's name followed by the section's name.
bpf_map* FindSectionMapOf(bpf_object* object, std::string_view section) {
  bpf_map* map;
  bpf_object__for_each_map(map, object) {
    std::string_view name = bpf_map__name(map);
    if (bpf_map__is_internal(map) && name.size() >= section.size() &&
        name.substr(name.size() - section.size()) == section) {
      return map;
    }
  }
  return nullptr;
}

// Checks that `.bss` contains the drop counter of every drop slot that the
// metadata names, so that reading one at exit stays inside the section.
std::optional<Error> MatchDropSlotsToBss(LoadState& state) {
  uint64_t needed = 0;
  auto need = [&](std::optional<uint32_t> slot) {
    if (slot) needed = std::max(needed, kDropCountersOffset + 8 * (uint64_t{*slot} + 1));
  };
  for (const AggregationInfo& info : state.metadata.aggregations) need(info.drop_slot);
  for (const StoreInfo& info : state.metadata.stores) need(info.drop_slot);
  if (needed == 0) return std::nullopt;

  bpf_map* bss = FindSectionMapOf(state.object, ".bss");
  uint64_t size = bss == nullptr ? 0 : bpf_map__value_size(bss);
  if (size >= needed) return std::nullopt;
  return ObjectError(state, fmt::format("the metadata counts dropped inserts in the first "
                                        "{} bytes of `.bss`, which has {} bytes",
                                        needed, size));
}

// Checks the aggregation, store, drop and global maps against the
// metadata.
std::optional<Error> MatchMapsToObject(LoadState& state) {
  for (const AggregationInfo& info : state.metadata.aggregations) {
    uint32_t value_size = AggregationWordCount(info) * 8;
    std::optional<Error> error =
        info.key_size != 0
            ? CheckMap(state, info.map.c_str(),
                       {BPF_MAP_TYPE_PERCPU_HASH, BPF_MAP_TYPE_LRU_PERCPU_HASH},
                       info.key_size, value_size)
            : CheckMap(state, info.map.c_str(), {BPF_MAP_TYPE_PERCPU_ARRAY},
                       /*key_size=*/4, value_size);
    if (error) return error;
  }
  for (const StoreInfo& info : state.metadata.stores) {
    if (auto error = CheckMap(state, info.map.c_str(), {BPF_MAP_TYPE_HASH},
                              info.key_size, info.value_size)) {
      return error;
    }
  }
  if (bpf_object__find_map_by_name(state.object, kDropsMapName) != nullptr) {
    if (auto error = CheckMap(state, kDropsMapName, {BPF_MAP_TYPE_PERCPU_ARRAY},
                              /*key_size=*/4, /*value_size=*/8)) {
      return error;
    }
  } else if (auto error = MatchDropSlotsToBss(state)) {
    return error;
  }

  if (state.metadata.globals.empty()) return std::nullopt;
  bpf_map* data = FindSectionMapOf(state.object, ".data");
  uint32_t data_size = data == nullptr ? 0 : bpf_map__value_size(data);
  for (const GlobalInfo& global : state.metadata.globals) {
    if (uint64_t{global.offset} + global.size > data_size) {
      return ObjectError(
          state, fmt::format("the metadata puts global `{}` at bytes {}..{} of "
                             "`.data`, which has {} bytes",
                             global.name, global.offset,
                             uint64_t{global.offset} + global.size, data_size));
    }
  }
  return std::nullopt;
}

// Checks the object against its metadata before loading, so that a
// mismatch is reported by name here and not as a bad read at exit.
std::optional<Error> MatchMetadataToObject(LoadState& state) {
  for (const ProgramInfo& info : state.metadata.programs) {
    bpf_program* program =
        bpf_object__find_program_by_name(state.object, info.function.c_str());
    if (program == nullptr) {
      return ObjectError(
          state, fmt::format("the metadata describes program `{}`, which "
                             "the object does not contain",
                             info.function));
    }
    if (std::optional<std::string> mismatch =
            CheckProgramType(program, info.attach)) {
      return ObjectError(state, std::move(*mismatch));
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

  return MatchMapsToObject(state);
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
  if (result < 0) {
    return ReportLoadFailure(state, -result);
  }

  // The logs are only read after a failure. Free them, and first make sure
  // libbpf keeps no pointer into them.
  bpf_program* program;
  bpf_object__for_each_program(program, state.object) {
    bpf_program__set_log_buf(program, nullptr, 0);
  }
  state.verifier_logs.clear();
  return std::nullopt;
}

// A missing tracefs is only a warning here: libbpf also looks for
// tracepoints under /sys/kernel/debug/tracing, and attaching names the
// cause when neither exists.
std::optional<Error> MountTracefs(LoadState& state) {
  if (std::optional<Error> error =
          EnsureTracefsMounted(state.options.verbose)) {
    fmt::print(state.options.warnings, "{}: warning: {}\n", ProgramName(),
               error->message);
  }
  return std::nullopt;
}

// Returns the metadata of `program`. A program the metadata does not
// describe attaches by its section name, as any libbpf loader would.
ProgramInfo InfoOf(const LoadState& state, const bpf_program* program) {
  const ProgramInfo* info =
      state.metadata.FindProgram(bpf_program__name(program));
  if (info != nullptr) {
    return *info;
  }
  ProgramInfo section_only;
  section_only.function = bpf_program__name(program);
  return section_only;
}

// Runs the `begin` blocks after loading and before any probe is attached,
// so that what they print comes first and what they store is in the maps
// before any probe reads it. When a later step fails and the pipeline runs
// again, the blocks run again in the new object, and the first object's
// output is dropped with its ring buffer.
std::optional<Error> RunBeginBlocks(LoadState& state) {
  bpf_program* program;
  bpf_object__for_each_program(program, state.object) {
    if (!bpf_program__autoload(program) ||
        InfoOf(state, program).attach.kind != AttachKind::kBegin) {
      continue;
    }
    if (auto error =
            RunLoaderBlock(state.metadata, program, AttachKind::kBegin)) {
      return error;
    }
    if (state.options.verbose != nullptr) {
      fmt::print(state.options.verbose, "{}: ran the begin block `{}`\n", ProgramName(),
                 bpf_program__name(program));
    }
  }
  return std::nullopt;
}

std::optional<Error> AttachPrograms(LoadState& state) {
  bpf_program* program;
  bpf_object__for_each_program(program, state.object) {
    if (!bpf_program__autoload(program)) {
      continue;
    }

    ProgramInfo info = InfoOf(state, program);
    switch (info.attach.kind) {
      case AttachKind::kBegin:
        continue;
      case AttachKind::kEnd:
        state.probes.end_blocks.push_back(program);
        continue;
      case AttachKind::kSection:
      case AttachKind::kUprobe:
      case AttachKind::kUretprobe:
      case AttachKind::kProfile:
      case AttachKind::kInterval:
        break;
    }

    ErrorOr<std::vector<bpf_link*>> links =
        AttachProgram(state.metadata, program, info, state.options.uprobe_pid,
                      state.options.verbose);
    if (!links) {
      // Any failure to attach a program with a fallback tries the
      // fallback, which attaches another way.
      if (!info.fallback.empty()) {
        state.new_rejection = {info.function,
                               Rejection{"attach", links.error().error_number}};
      }
      return NoteFallback(state, info.function, links.TakeError());
    }
    state.probes.links.insert(state.probes.links.end(), links->begin(),
                              links->end());
    ++state.probes.probe_count;
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
    {"choose between programs and their fallbacks", ChoosePrograms},
    {"check the kernel BTF", CheckKernelBtfStep},
    {"mount tracefs if missing", MountTracefs},
    {"look up the probe targets", SkipMissingTargets},
    {"set the parameters in .rodata", SetParameters},
    {"set the ring buffer size", SetRingBufferSize},
    {"prepare verifier logs", PrepareVerifierLogs},
    {"load programs and maps", LoadObject},
    {"run begin blocks", RunBeginBlocks},
    {"attach programs", AttachPrograms},
};

std::optional<Error> RunLoadSteps(LoadState& state) {
  for (const LoadStep& step : kLoadSteps) {
    if (state.options.verbose != nullptr) {
      fmt::print(state.options.verbose, "{}: {}\n", ProgramName(), step.name);
    }
    if (std::optional<Error> error = step.run(state)) {
      return error;
    }
    if (state.options.load_only && step.run == LoadObject) {
      break;
    }
  }
  return std::nullopt;
}

}  // namespace

AttachedObject::AttachedObject(std::string path, Metadata metadata,
                               bpf_object* object, AttachedProbes probes)
    : path_(std::move(path)),
      metadata_(std::move(metadata)),
      object_(object),
      links_(std::move(probes.links)),
      end_blocks_(std::move(probes.end_blocks)),
      probe_count_(probes.probe_count) {}

AttachedObject::~AttachedObject() {
  Detach();
  bpf_object__close(object_);
}

bpf_map* AttachedObject::FindMap(const char* name) const {
  return bpf_object__find_map_by_name(object_, name);
}

bpf_map* AttachedObject::FindDataMap() const { return FindSectionMapOf(object_, ".data"); }

bpf_map* AttachedObject::FindBssMap() const { return FindSectionMapOf(object_, ".bss"); }

void AttachedObject::Detach() {
  for (bpf_link* link : links_) {
    bpf_link__destroy(link);
  }
  links_.clear();
}

std::optional<Error> AttachedObject::RunEndBlocks() {
  std::optional<Error> first_error;
  for (bpf_program* program : std::exchange(end_blocks_, {})) {
    std::optional<Error> error =
        RunLoaderBlock(metadata_, program, AttachKind::kEnd);
    if (error && !first_error) {
      first_error = std::move(error);
    }
  }
  return first_error;
}

ErrorOr<std::unique_ptr<AttachedObject>> LoadAndAttach(
    const ObjectSource& source, const LoaderOptions& options) {
  // Each run either succeeds, fails for good, or adds a rejection of a
  // program that was loaded in that run. A rejected program is not loaded
  // again, so the runs end.
  Rejections rejections;
  while (true) {
    LoadState state(source, options, rejections);
    std::optional<Error> error = RunLoadSteps(state);
    if (!error) {
      return std::make_unique<AttachedObject>(
          std::move(state.path), std::move(state.metadata),
          std::exchange(state.object, nullptr),
          std::exchange(state.probes, {}));
    }
    if (!state.new_rejection) {
      return std::move(*error);
    }

    if (options.verbose != nullptr) {
      fmt::print(options.verbose,
                 "{}: {}\n{}: starting again with the "
                 "fallback of `{}`\n", ProgramName(),
                 error->message, ProgramName(), state.new_rejection->first);
    }
    rejections.insert(std::move(*state.new_rejection));
  }
}

}  // namespace nubpf::runtime
