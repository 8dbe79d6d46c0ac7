// Formats the final value of each `count` site, printed at exit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/metadata.h"
#include "runtime/output_format.h"
#include "runtime/stack_trace.h"

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
// `(no entries)` when the map is empty. A stack key comes after its count
// instead, one frame per line, so that each row starts at its count:
//
//   count by kstack
//   count  kstack
//      12  __x64_sys_getppid+0x9
//          do_syscall_64+0x5a
//
// JSON format: one object per row, `{"counter": LABEL, "count": N}` or
// `{"counter": LABEL, KEY-NAME: KEY, "count": N}`; no lines for an empty
// keyed counter. A stack key is an array of frames.
//
// `namer` names the frames of stack keys; without one they show as hex
// addresses.
std::vector<std::string> FormatCounter(const CounterInfo& counter,
                                       const std::vector<CounterRow>& rows,
                                       OutputFormat format,
                                       StackNamer* namer = nullptr);

}  // namespace nubpf::runtime
