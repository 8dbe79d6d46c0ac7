// Writes the parameters given on nubpf-run's command line into the
// object's `.rodata` before it loads, where libbpf takes them as the
// initial value of the `.rodata` map and freezes it.

#include <bpf/libbpf.h>
#include <fmt/core.h>

#include <cstring>
#include <vector>

#include "runtime/load_state.h"

namespace nubpf::runtime {
namespace {

// Returns libbpf's map of the `.rodata` section: an internal map whose
// name is a prefix of the object's name followed by `.rodata`.
bpf_map* FindReadOnlyDataMap(bpf_object* object) {
  bpf_map* map;
  bpf_object__for_each_map(map, object) {
    std::string_view name = bpf_map__name(map);
    if (bpf_map__is_internal(map) && name.size() >= 7 &&
        name.substr(name.size() - 7) == ".rodata") {
      return map;
    }
  }
  return nullptr;
}

Error ParameterError(const LoadState& state, std::string message) {
  Error error;
  error.message = fmt::format("`{}`: {}", state.path, std::move(message));
  error.help = "the object does not match its own metadata; rebuild it with nubpfc";
  return error;
}

}  // namespace

std::optional<Error> SetParameters(LoadState& state) {
  if (state.metadata.parameters.empty()) return std::nullopt;
  bpf_map* map = FindReadOnlyDataMap(state.object);
  size_t size = 0;
  const void* data = map == nullptr ? nullptr : bpf_map__initial_value(map, &size);
  if (data == nullptr) {
    return ParameterError(state, "the metadata describes parameters, but the object "
                                 "has no `.rodata` to hold them");
  }

  // Every parameter must fit, not only the ones given, so that a broken
  // object is reported the same way with and without flags.
  for (const ParameterInfo& parameter : state.metadata.parameters) {
    if (uint64_t{parameter.offset} + parameter.size > size) {
      return ParameterError(
          state, fmt::format("the metadata puts parameter `{}` at bytes {}..{} of "
                             "`.rodata`, which has {} bytes",
                             parameter.name, parameter.offset,
                             uint64_t{parameter.offset} + parameter.size, size));
    }
  }

  // Older libbpf returns the initial value read-only, so a changed copy
  // replaces it.
  if (state.options.parameters.empty()) return std::nullopt;
  const auto* initial = static_cast<const char*>(data);
  std::vector<char> bytes(initial, initial + size);
  for (const ParameterValue& value : state.options.parameters) {
    std::memcpy(bytes.data() + value.offset, value.bytes.data(), value.bytes.size());
    if (state.options.verbose != nullptr) {
      fmt::print(state.options.verbose, "{}: set parameter --{}\n", ProgramName(), value.name);
    }
  }
  int result = bpf_map__set_initial_value(map, bytes.data(), bytes.size());
  if (result < 0) {
    Error error;
    error.message = fmt::format("cannot set the parameters in `.rodata` of `{}`: {}",
                                state.path, std::strerror(-result));
    return error;
  }
  return std::nullopt;
}

}  // namespace nubpf::runtime
