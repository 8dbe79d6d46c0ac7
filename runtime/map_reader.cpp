#include "runtime/map_reader.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <string>

namespace nubpf::runtime {
namespace {

Error MapError(const MapHandle& map, const char* operation, int error_number) {
  Error error;
  error.message = fmt::format("cannot read map `{}`: {} failed: {}", map.name,
                              operation, std::strerror(error_number));
  return error;
}

size_t SlotSize(const MapHandle& map) {
  return (static_cast<size_t>(map.value_size) + 7) / 8 * 8;
}

ErrorOr<int> PossibleCpuCount(const MapHandle& map) {
  int cpu_count = libbpf_num_possible_cpus();
  if (cpu_count <= 0) {
    return MapError(map, "reading /sys/devices/system/cpu/possible", -cpu_count);
  }
  return cpu_count;
}

// Looks up `key` in a per-CPU map and returns every CPU's slot. Returns
// nullopt when the key is gone (ENOENT), which happens when it was deleted
// or evicted after the key walk saw it.
ErrorOr<std::optional<std::string>> LookupPerCpu(const MapHandle& map,
                                                 const std::string& key,
                                                 int cpu_count) {
  std::string values(SlotSize(map) * static_cast<size_t>(cpu_count), '\0');
  if (bpf_map_lookup_elem(map.fd, key.data(), values.data()) != 0) {
    int error_number = errno;
    if (error_number == ENOENT) return std::optional<std::string>();
    return MapError(map, "bpf_map_lookup_elem", error_number);
  }
  return std::optional<std::string>(std::move(values));
}

// Walks the keys with get_next_key. When the previous key is deleted
// during the walk, the kernel starts again from the first key, so keys
// already seen are skipped rather than read twice.
ErrorOr<std::vector<std::string>> ReadKeys(const MapHandle& map) {
  std::vector<std::string> keys;
  std::set<std::string> seen;
  std::string previous;
  std::string next(map.key_size, '\0');
  while (true) {
    const void* previous_key = keys.empty() ? nullptr : previous.data();
    if (bpf_map_get_next_key(map.fd, previous_key, next.data()) != 0) {
      int error_number = errno;
      if (error_number == ENOENT) return keys;
      return MapError(map, "bpf_map_get_next_key", error_number);
    }
    previous = next;
    if (seen.insert(next).second) keys.push_back(next);
  }
}

std::string ZeroKey() { return std::string(sizeof(uint32_t), '\0'); }

}  // namespace

MapHandle HandleOf(const bpf_map* map) {
  return MapHandle{bpf_map__fd(map), bpf_map__name(map), bpf_map__key_size(map),
                   bpf_map__value_size(map)};
}

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

ErrorOr<std::vector<AggregationRow>> ReadAggregationMap(
    const MapHandle& map, const AggregationInfo& info) {
  ErrorOr<int> cpu_count = PossibleCpuCount(map);
  if (!cpu_count) return cpu_count.TakeError();

  // A keyless aggregation always has its one entry, zero until a probe
  // adds to it.
  std::vector<std::string> keys = {ZeroKey()};
  if (info.key_size != 0) {
    ErrorOr<std::vector<std::string>> walked = ReadKeys(map);
    if (!walked) return walked.TakeError();
    keys = std::move(*walked);
  }

  std::vector<AggregationRow> rows;
  for (const std::string& key : keys) {
    ErrorOr<std::optional<std::string>> values = LookupPerCpu(map, key, *cpu_count);
    if (!values) return values.TakeError();
    if (!values->has_value()) continue;
    AggregationValue merged = MergePerCpuValues(info, **values, SlotSize(map));
    rows.push_back({info.key_size == 0 ? std::string() : key, std::move(merged)});
  }
  if (info.key_size == 0 && rows.empty()) rows.push_back({});
  return rows;
}

std::optional<Error> ResetAggregationMap(const MapHandle& map,
                                         const AggregationInfo& info,
                                         const std::vector<AggregationRow>& rows) {
  if (info.key_size == 0) {
    ErrorOr<int> cpu_count = PossibleCpuCount(map);
    if (!cpu_count) return cpu_count.TakeError();
    std::string zeros(SlotSize(map) * static_cast<size_t>(*cpu_count), '\0');
    std::string key = ZeroKey();
    if (bpf_map_update_elem(map.fd, key.data(), zeros.data(), BPF_ANY) != 0) {
      return MapError(map, "bpf_map_update_elem", errno);
    }
    return std::nullopt;
  }

  for (const AggregationRow& row : rows) {
    // ENOENT: an LRU map evicted the key since the read.
    if (bpf_map_delete_elem(map.fd, row.key.data()) != 0 && errno != ENOENT) {
      return MapError(map, "bpf_map_delete_elem", errno);
    }
  }
  return std::nullopt;
}

ErrorOr<uint64_t> ReadPerCpuCount(const MapHandle& map, uint32_t slot) {
  ErrorOr<int> cpu_count = PossibleCpuCount(map);
  if (!cpu_count) return cpu_count.TakeError();
  std::string key(reinterpret_cast<const char*>(&slot), sizeof(slot));
  ErrorOr<std::optional<std::string>> values = LookupPerCpu(map, key, *cpu_count);
  if (!values) return values.TakeError();
  if (!values->has_value()) return uint64_t{0};
  return SumPerCpuValues(**values, SlotSize(map));
}

ErrorOr<uint64_t> ReadLostEvents(const bpf_map* map) {
  return ReadPerCpuCount(HandleOf(map), /*slot=*/0);
}

ErrorOr<uint64_t> ReadCounter(const MapHandle& map, uint32_t offset) {
  ErrorOr<std::string> value = ReadArrayValue(map);
  if (!value) return value.TakeError();
  uint64_t counter = 0;
  if (uint64_t{offset} + sizeof(counter) > value->size()) return counter;
  std::memcpy(&counter, value->data() + offset, sizeof(counter));
  return counter;
}

ErrorOr<std::string> ReadArrayValue(const MapHandle& map) {
  std::string value(map.value_size, '\0');
  std::string key = ZeroKey();
  if (bpf_map_lookup_elem(map.fd, key.data(), value.data()) != 0) {
    return MapError(map, "bpf_map_lookup_elem", errno);
  }
  return value;
}

}  // namespace nubpf::runtime
