// Reads and clears the maps of a loaded object: aggregations, the
// `nubpf_drops` and `nubpf_lost` counts and the `.data` map of globals.
// bpf_map_lookup_elem() returns one value per possible CPU for per-CPU
// maps, each rounded up to 8 bytes; the functions here merge them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/aggregation_value.h"
#include "runtime/error.h"
#include "runtime/metadata.h"

struct bpf_map;

namespace nubpf::runtime {

// A map as the readers use it: its file descriptor, its name for errors
// and its sizes. Tests make them for maps from bpf_map_create().
struct MapHandle {
  int fd = -1;
  std::string name;
  uint32_t key_size = 0;
  uint32_t value_size = 0;
};

// Returns the handle of a map of a loaded object.
MapHandle HandleOf(const bpf_map* map);

// Adds up the u64 at the start of each `slot_size`-byte slot of `values`,
// wrapping at 2^64 as the kernel's counters do. `slot_size` is the map's
// value size rounded up to 8.
uint64_t SumPerCpuValues(std::string_view values, size_t slot_size);

// Reads every entry of the aggregation map described by `info`, merging
// the CPUs: one row (key 0) for a keyless aggregation, one row per key for
// a keyed one. Keys that a program adds during the walk may be missed, and
// keys it deletes are skipped. The error names the map and the failed call.
ErrorOr<std::vector<AggregationRow>> ReadAggregationMap(
    const MapHandle& map, const AggregationInfo& info);

// Clears an aggregation map after a print: deletes the keys of `rows`
// from a hash map, or zeroes every CPU's entry of a keyless one. Counts
// that arrive between the read and the clear are lost with it.
std::optional<Error> ResetAggregationMap(const MapHandle& map,
                                         const AggregationInfo& info,
                                         const std::vector<AggregationRow>& rows);

// Reads slot `slot` of a per-CPU array of u64 counts, such as
// `nubpf_drops`, summed over the CPUs.
ErrorOr<uint64_t> ReadPerCpuCount(const MapHandle& map, uint32_t slot);

// Reads the sum of `nubpf_lost`: how many events did not fit in the ring
// buffer.
ErrorOr<uint64_t> ReadLostEvents(const bpf_map* map);

// Reads the value of the one-entry array map `map` (such as libbpf's
// `.data` map, whose globals change while probes run).
ErrorOr<std::string> ReadArrayValue(const MapHandle& map);

// Reads the u64 counter at byte `offset` of the one-entry array map `map`
// (libbpf's `.bss` map, which contains `nubpf_lost` and `nubpf_drops`), or 0
// when the value ends before it.
ErrorOr<uint64_t> ReadCounter(const MapHandle& map, uint32_t offset);

}  // namespace nubpf::runtime
