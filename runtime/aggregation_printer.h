// Formats the merged entries of each aggregation, and the globals, in
// every output format; nubpf-run prints them at exit and every
// --interval.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runtime/aggregation_value.h"
#include "runtime/event_decoder.h"
#include "runtime/metadata.h"
#include "runtime/output_format.h"
#include "runtime/record_format.h"
#include "runtime/stack_trace.h"

namespace nubpf::runtime {

// The options of one print of the maps.
struct MapPrintOptions {
  OutputFormat format = OutputFormat::kTable;
  // With --interval, the local time of the print: the machine formats then
  // start every record with a `time` column.
  std::optional<TimeValue> time;
  // Names the frames of stack keys; without one they show as addresses.
  StackNamer* namer = nullptr;
};

// Returns the lines that show `info`'s entries `rows`, without newlines.
// Rows are sorted by ShowsLargerValue(), ties by key.
//
// Table: a keyless count, sum, avg, min or max is one line `NAME  VALUE`.
// Otherwise the NAME line comes first, then a table with the key columns
// and the value columns (`count`, `sum`, `avg`, `min`, `max`, or all five
// for stats), or `(no entries)`. A stack key column comes last, one frame
// per line. Histograms show, per key, the key line and the bars of
// FormatHistogramBars(). Durations and file sizes show as Nushell shows
// them, avg of an int with two decimals.
//
// JSON and NUON: one record per entry, `{"aggregation": NAME, KEYS...,
// VALUES...}`, and for histograms one per non-empty bucket with `from`,
// `to` and `count`. CSV: the same records under one header row.
std::vector<std::string> FormatAggregation(const AggregationInfo& info,
                                          std::vector<AggregationRow> rows,
                                          const MapPrintOptions& options);

// Returns the lines that show the globals, `values[i]` being the value of
// `globals[i]`: in table format a `globals` line and one `NAME  VALUE`
// line each, in the machine formats `{"global": NAME, "value": VALUE}`.
std::vector<std::string> FormatGlobals(const std::vector<GlobalInfo>& globals,
                                       const std::vector<FieldValue>& values,
                                       const MapPrintOptions& options);

}  // namespace nubpf::runtime
