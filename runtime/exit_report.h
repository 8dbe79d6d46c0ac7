// The maps that nubpf-run prints at exit and every --interval: every
// aggregation, then the globals. At exit it also warns on stderr when the
// ring buffer lost events or a full map dropped keys.
#pragma once

#include <cstdio>
#include <optional>

#include "runtime/aggregation_printer.h"
#include "runtime/error.h"
#include "runtime/session.h"

namespace nubpf::runtime {

// Prints every aggregation of the metadata in metadata order, then the
// globals. In table format, aggregations are separated by blank lines, and
// `blank_line_first` puts one before the first too. With `reset`, clears
// each aggregation map once it is printed. Returns false when a write
// failed with EPIPE, which ends the report quietly because the reader of
// `out` went away. Any other write failure, or a map that cannot be read,
// is an error.
ErrorOr<bool> PrintMaps(Session& session, const MapPrintOptions& options,
                        bool blank_line_first, bool reset, std::FILE* out);

// Writes `nubpf-run: N events lost: the ring buffer was full` to
// `diagnostics` when the summed `nubpf_lost` map is above zero. Objects
// without that map have nothing to report.
std::optional<Error> ReportLostEvents(Session& session, std::FILE* diagnostics);

// Writes one line to `diagnostics` for each aggregation or store whose
// slot of `nubpf_drops` is above zero: the map, the number of keys
// dropped, and the --max-entries to raise.
std::optional<Error> ReportDrops(Session& session, std::FILE* diagnostics);

}  // namespace nubpf::runtime
