// Prints decoded events as they arrive: a streaming table, JSON or NUON
// lines or CSV, and the lines of `print` sites among them.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/event_decoder.h"
#include "runtime/event_time.h"
#include "runtime/output_format.h"
#include "runtime/record_format.h"

namespace nubpf::runtime {

// Returns the fields of `event` as a record, in record order.
Record EventRecord(const DecodedEvent& event);

// Returns the column names of `event`, each padded to its column width.
std::string FormatTableHeader(const EventInfo& event);

// Appends the cells of one record under FormatTableHeader()'s columns,
// without a newline at the end. A stack shows one frame per line in its
// column, so the row then spans several lines, separated by newlines, the
// later ones without trailing spaces.
void AppendTableRow(std::string& out, const DecodedEvent& event);

// Returns AppendTableRow() of `event`.
std::string FormatTableRow(const DecodedEvent& event);

// Formats the line of a `print` site: the template's text with each field
// replaced by FormatInterpolatedValue() of its value. ParsePrintTemplate()
// has turned `\n` and `\t` into real newlines and tabs, so the line may
// span several lines of output. With `for_terminal`, string values go
// through TableText(), as table cells do, so that a control byte in a
// traced string cannot garble the terminal; JSON, NUON and CSV quote the
// line themselves.
std::string FormatPrintLine(const PrintTemplate& print, const std::vector<FieldValue>& values,
                            bool for_terminal = false);

class EventPrinter {
 public:
  // With a `clock` whose mode is not kNone, each event with a time gets a
  // `time` column first, and each print line in table format starts with
  // the time.
  EventPrinter(OutputFormat format, std::FILE* out, EventClock clock = {})
      : format_(format), out_(out), clock_(clock) {}

  // Writes one event into the output's buffer; Flush() sends what the
  // buffer holds. An event of a `print` site writes its
  // FormatPrintLine() alone in table format and `{"print": LINE}` in JSON
  // format. In table format, a row comes after a header line whenever its
  // event kind differs from the previous row's, so each block of rows sits
  // under its own column names. Print lines do not count as rows: a print
  // line may sit between two rows of one block, and the second row gets no
  // new header. NUON writes one record per line, as JSON does, and a
  // print line as `{"print": LINE}`. CSV writes a header row whenever the
  // event kind differs from the previous row's, a print site being a kind
  // with the one column `print`. Returns false when the write failed;
  // errno is then the cause (EPIPE when the reader left).
  bool Print(const DecodedEvent& event);

  // Writes LostEventsRecord() of `lost` in JSON, NUON or CSV, with the
  // current time under --timestamps. In CSV the record is a
  // kind of its own, under its own header row. The table format writes
  // losses to stderr instead, so `format` must not be kTable. Returns false
  // as Print() does.
  bool PrintLostEvents(uint64_t lost);

  // Sends the buffered lines, so that a reader at the other end of a pipe
  // gets the records of a poll as soon as the poll ends. Returns false as
  // Print() does.
  bool Flush() { return std::fflush(out_) == 0; }

 private:
  std::optional<CellValue> TimeCell(const DecodedEvent& event) const;
  bool PrintTable(const DecodedEvent& event);
  bool PrintTableRow(const DecodedEvent& event, size_t time_prefix_size);
  bool PrintRecordLine(const DecodedEvent& event);
  bool PrintRecord(const EventInfo* kind, const Record& record);
  bool PrintCsvRow(const EventInfo* kind, const Record& record);

  OutputFormat format_;
  std::FILE* out_;
  EventClock clock_;
  // The event of the last table or CSV row, whose header is the current
  // one, or the kind of lost event records.
  const EventInfo* previous_event_ = nullptr;
  // The line being built, kept from event to event so that its capacity is
  // allocated once.
  std::string line_;
};

}  // namespace nubpf::runtime
