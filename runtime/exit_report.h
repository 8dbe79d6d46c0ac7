// The end-of-run report of nubpf-run: every counter, then a warning when
// the ring buffer dropped events.
#pragma once

#include <cstdio>
#include <optional>

#include "runtime/error.h"
#include "runtime/loader.h"
#include "runtime/output_format.h"
#include "runtime/stack_trace.h"

namespace nubpf::runtime {

// Prints every `counter` of the metadata in metadata order. In table
// format, counters are separated by blank lines, and `after_events` puts
// one before the first too. `stacks` names the frames of stack keys, or
// is null. A write that fails with EPIPE ends the report quietly; any
// other failure, or a map that cannot be read, is an error.
std::optional<Error> PrintCounters(const AttachedObject& object,
                                   OutputFormat format, bool after_events,
                                   std::FILE* out, StackNamer* stacks = nullptr);

// Writes `nubpf-run: N events lost: the ring buffer was full` to
// `diagnostics` when the summed `nubpf_lost` map is above zero. Objects
// without that map have nothing to report.
std::optional<Error> ReportLostEvents(const AttachedObject& object,
                                      std::FILE* diagnostics);

}  // namespace nubpf::runtime
