// Reads the per-CPU maps of a loaded object: counters and the lost-event
// count. bpf_map_lookup_elem() returns one value per possible CPU for these
// maps, each rounded up to 8 bytes; the functions here add them up.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "runtime/counter_printer.h"
#include "runtime/error.h"
#include "runtime/metadata.h"

struct bpf_map;

namespace nubpf::runtime {

// Adds up the u64 at the start of each `slot_size`-byte slot of `values`,
// wrapping at 2^64 as the kernel's counters do. `slot_size` is the map's
// value size rounded up to 8.
uint64_t SumPerCpuValues(std::string_view values, size_t slot_size);

// Reads every entry of the counter map described by `counter`: one row
// (key 0) for a keyless counter, one row per key for a keyed one. The error
// names the map and the failed call.
ErrorOr<std::vector<CounterRow>> ReadCounterMap(const bpf_map* map,
                                                const CounterInfo& counter);

// Reads the sum of `nubpf_lost`: how many events did not fit in the ring
// buffer.
ErrorOr<uint64_t> ReadLostEvents(const bpf_map* map);

}  // namespace nubpf::runtime
