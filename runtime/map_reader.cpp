#include "runtime/map_reader.h"

#include <bpf/libbpf.h>
#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace nubpf::runtime {
namespace {

Error MapError(const bpf_map* map, const char* operation, int error_number) {
  Error error;
  error.message =
      fmt::format("cannot read map `{}`: {} failed: {}", bpf_map__name(map),
                  operation, std::strerror(error_number));
  return error;
}

size_t SlotSize(const bpf_map* map) {
  return (static_cast<size_t>(bpf_map__value_size(map)) + 7) / 8 * 8;
}

// Looks up `key` in a per-CPU map and sums its values. Returns nullopt when
// the key is gone (ENOENT), which happens when a program deleted it after
// the key walk saw it.
ErrorOr<std::optional<uint64_t>> LookupPerCpuSum(const bpf_map* map,
                                                 const std::string& key,
                                                 int cpu_count) {
  size_t slot_size = SlotSize(map);
  std::string values(slot_size * static_cast<size_t>(cpu_count), '\0');
  int result = bpf_map__lookup_elem(map, key.data(), key.size(), values.data(),
                                    values.size(), /*flags=*/0);
  if (result == -ENOENT) {
    return std::optional<uint64_t>();
  }
  if (result < 0) {
    return MapError(map, "bpf_map_lookup_elem", -result);
  }
  return std::optional<uint64_t>(SumPerCpuValues(values, slot_size));
}

ErrorOr<int> PossibleCpuCount(const bpf_map* map) {
  int cpu_count = libbpf_num_possible_cpus();
  if (cpu_count <= 0) {
    return MapError(map, "reading /sys/devices/system/cpu/possible",
                    -cpu_count);
  }
  return cpu_count;
}

// Walks the keys with get_next_key. nubpf-run detaches the programs before
// it reads counters, so the map no longer changes during the walk.
ErrorOr<std::vector<std::string>> ReadKeys(const bpf_map* map) {
  std::vector<std::string> keys;
  size_t key_size = bpf_map__key_size(map);
  std::string next(key_size, '\0');
  const void* previous = nullptr;
  while (true) {
    int result = bpf_map__get_next_key(map, previous, next.data(), key_size);
    if (result == -ENOENT) {
      return keys;
    }
    if (result < 0) {
      return MapError(map, "bpf_map_get_next_key", -result);
    }
    keys.push_back(next);
    previous = keys.back().data();
  }
}

}  // namespace

uint64_t SumPerCpuValues(std::string_view values, size_t slot_size) {
  uint64_t sum = 0;
  for (size_t offset = 0; offset + sizeof(uint64_t) <= values.size();
       offset += slot_size) {
    uint64_t value;
    std::memcpy(&value, values.data() + offset, sizeof(value));
    sum += value;
  }
  return sum;
}

ErrorOr<std::vector<CounterRow>> ReadCounterMap(const bpf_map* map,
                                                const CounterInfo& counter) {
  ErrorOr<int> cpu_count = PossibleCpuCount(map);
  if (!cpu_count) {
    return cpu_count.TakeError();
  }

  if (!counter.key) {
    std::string zero_key(sizeof(uint32_t), '\0');
    ErrorOr<std::optional<uint64_t>> sum =
        LookupPerCpuSum(map, zero_key, *cpu_count);
    if (!sum) {
      return sum.TakeError();
    }
    return std::vector<CounterRow>{{"", sum->value_or(0)}};
  }

  ErrorOr<std::vector<std::string>> keys = ReadKeys(map);
  if (!keys) {
    return keys.TakeError();
  }
  std::vector<CounterRow> rows;
  for (const std::string& key : *keys) {
    ErrorOr<std::optional<uint64_t>> sum =
        LookupPerCpuSum(map, key, *cpu_count);
    if (!sum) {
      return sum.TakeError();
    }
    if (sum->has_value()) {
      rows.push_back({key, **sum});
    }
  }
  return rows;
}

ErrorOr<uint64_t> ReadLostEvents(const bpf_map* map) {
  ErrorOr<int> cpu_count = PossibleCpuCount(map);
  if (!cpu_count) {
    return cpu_count.TakeError();
  }
  std::string zero_key(sizeof(uint32_t), '\0');
  ErrorOr<std::optional<uint64_t>> sum =
      LookupPerCpuSum(map, zero_key, *cpu_count);
  if (!sum) {
    return sum.TakeError();
  }
  return sum->value_or(0);
}

}  // namespace nubpf::runtime
