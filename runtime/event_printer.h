// Prints decoded events as they arrive: a streaming table or JSON lines.
#pragma once

#include <cstdio>
#include <string>

#include "runtime/event_decoder.h"
#include "runtime/output_format.h"

namespace nubpf::runtime {

// Returns one JSON object with the field names in record order, without a
// newline: `{"pid": 42, "comm": "bash"}`.
std::string FormatEventJson(const DecodedEvent& event);

// Returns the column names of `event`, each padded to its column width.
std::string FormatTableHeader(const EventInfo& event);

// Returns the cells of one record under FormatTableHeader()'s columns.
std::string FormatTableRow(const DecodedEvent& event);

class EventPrinter {
 public:
  EventPrinter(OutputFormat format, std::FILE* out)
      : format_(format), out_(out) {}

  // Writes one event and flushes, so that a reader at the other end of a
  // pipe receives it at once. In table format, a header line comes first
  // whenever the event kind differs from the previous record's, so each
  // block of rows sits under its own column names. Returns false when the
  // write failed; errno is then the cause (EPIPE when the reader left).
  bool Print(const DecodedEvent& event);

 private:
  OutputFormat format_;
  std::FILE* out_;
  const EventInfo* previous_event_ = nullptr;
};

}  // namespace nubpf::runtime
