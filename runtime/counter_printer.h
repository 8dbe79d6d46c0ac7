// Formats the final value of each `count` site, printed at exit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/metadata.h"
#include "runtime/output_format.h"

namespace nubpf::runtime {

// One entry of a counter map with its per-CPU values summed.
struct CounterRow {
  // The raw key bytes, KEY-SIZE long; empty for a keyless counter.
  std::string key;
  uint64_t count = 0;
};

// Returns the lines that show `counter`, without newlines.
//
// Table format: a keyless counter is one line `LABEL  COUNT`. A keyed
// counter is its label, then a header with KEY-NAME and `count`, then one
// row per key sorted by count, largest first (ties by key, ascending), or
// `(no entries)` when the map is empty.
//
// JSON format: one object per row, `{"counter": LABEL, "count": N}` or
// `{"counter": LABEL, KEY-NAME: KEY, "count": N}`; no lines for an empty
// keyed counter.
std::vector<std::string> FormatCounter(const CounterInfo& counter,
                                       const std::vector<CounterRow>& rows,
                                       OutputFormat format);

}  // namespace nubpf::runtime
