// Reads of one aggregation or global by name, with the keys decoded, for
// the skeleton headers of `nubpfc --emit skeleton`, which turn the values
// into their own typed structs.
#pragma once

#include <string_view>
#include <vector>

#include "runtime/aggregation_value.h"
#include "runtime/error.h"
#include "runtime/event_decoder.h"
#include "runtime/session.h"

namespace nubpf::runtime {

// One aggregation entry: its key fields in key order (none for a keyless
// aggregation) and its merged value.
struct DecodedAggregationRow {
  std::vector<FieldValue> key;
  AggregationValue value;
};

// A typed aggregation entry of a skeleton: `Key` is the struct the header
// declares for the aggregation's key.
template <typename Key>
struct AggregationEntry {
  Key key;
  AggregationValue value;
};

// Reads every entry of the aggregation whose map symbol is `map`, with
// stack frames left as addresses. The error names the map when the object
// has no such aggregation.
ErrorOr<std::vector<DecodedAggregationRow>> ReadAggregationByName(Session& session,
                                                                  std::string_view map);

// Reads the global `name` as the probes last wrote it.
ErrorOr<FieldValue> ReadGlobalByName(Session& session, std::string_view name);

}  // namespace nubpf::runtime
