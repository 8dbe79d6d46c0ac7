// Prints what `nubpf-run --list` found in an object: a table per kind for
// people, or one JSON or NUON record per item for programs.
#pragma once

#include <cstdio>
#include <vector>

#include "runtime/object_listing.h"
#include "runtime/output_format.h"

namespace nubpf::runtime {

// Writes `records` in `format`, which is kTable, kJson or kNuon. A table
// starts each kind with a line naming it (`probes`, `maps`, ...). In a
// table cell, each record of a list, such as an event's field, gets a line
// of its own as `NAME: TYPE`, and null prints as `-`. JSON and NUON write
// one record per line, with lists as arrays of records.
void PrintListing(const std::vector<ListingRecord>& records, OutputFormat format,
                  std::FILE* out);

}  // namespace nubpf::runtime
