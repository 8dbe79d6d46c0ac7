// Turns the raw bytes of a ring buffer record, or of a map key, into typed
// values by the layout in the `.nubpf` metadata.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "runtime/error.h"
#include "runtime/metadata.h"
#include "runtime/stack_trace.h"
#include "runtime/units.h"

namespace nubpf::runtime {

// One decoded value: u8..u64 as uint64_t, i8..i64 as int64_t, bool, the
// bytes of a string up to its first NUL (not checked for UTF-8), or a
// stack's addresses.
using FieldValue = std::variant<uint64_t, int64_t, bool, std::string, Duration,
                                FileSize, StackTrace>;

// Decodes `bytes`, which must be the type's fixed size or, for a string or
// a stack, the field's SIZE bytes. Reads in host byte order, which is the
// object's. A stack keeps as many addresses as its frame count gives,
// at most as many as fit in `bytes`.
FieldValue DecodeValue(FieldType type, std::string_view bytes);

struct DecodedEvent {
  // Points into the Metadata passed to DecodeEvent().
  const EventInfo* event = nullptr;
  // One per field of `event`, in record order.
  std::vector<FieldValue> values;
  // The bpf_ktime_get_ns() of the emit (CLOCK_MONOTONIC); nullopt for
  // objects older than metadata version 4, whose records have no time.
  std::optional<uint64_t> time_ns;
};

// Decodes one ring buffer record, whose header has EventHeaderSize() of the
// metadata's version. Rejects a record shorter than its header,
// an event id with no `event` line and a record shorter than the event's
// SIZE; the error message gives the id and the sizes.
ErrorOr<DecodedEvent> DecodeEvent(const Metadata& metadata,
                                  std::string_view record);

// Decodes as DecodeEvent() does, into `decoded`, whose values vector and
// strings keep their capacity from the previous record, so that a stream
// of records needs no allocation per record. On an error `decoded` is left
// partly overwritten.
std::optional<Error> DecodeEventInto(const Metadata& metadata, std::string_view record,
                                     DecodedEvent& decoded);

// Decodes the key of an aggregation map entry into its fields' values, in
// key order; `key` is the map's KEY-SIZE bytes.
std::vector<FieldValue> DecodeAggregationKey(const AggregationInfo& info, std::string_view key);

// Has `namer` name the frames of every stack in `values`.
void NameStacks(std::vector<FieldValue>& values, StackNamer& namer);

}  // namespace nubpf::runtime
