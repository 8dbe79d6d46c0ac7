// Records for the machine formats of nubpf-run: one JSON or NUON object
// per line, or CSV rows under a header. Events, aggregations and globals
// all print through these.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "runtime/event_decoder.h"
#include "runtime/field_type.h"
#include "runtime/output_format.h"

namespace nubpf::runtime {

// A value that no field holds: null, such as the open end of a histogram
// bucket.
struct NullValue {};

// A fraction, such as an avg. `type` is kI64 for a plain float, or
// kDuration or kFileSize when it is nanoseconds or bytes: NUON then writes
// it cut toward zero, with its unit, and JSON and CSV as a float.
struct FloatValue {
  double value = 0;
  FieldType type = FieldType::kI64;
};

// A point in time, written as RFC 3339 (`2025-01-02T15:04:05+01:00`),
// which NUON reads as a datetime.
struct TimeValue {
  std::string rfc3339;
};

using CellValue = std::variant<NullValue, FloatValue, TimeValue, FieldValue>;

struct Column {
  std::string name;
  CellValue value;
};

// The columns of one record, in order.
using Record = std::vector<Column>;

// Returns a float that reads back as a float in JSON and NUON: `3.0`, not
// `3`, and the shortest digits that round-trip otherwise.
std::string FloatText(double value);

// Returns AppendNuonQuoted() of `bytes`.
std::string NuonQuote(std::string_view bytes);

// Appends the NUON literal of a value: decimal integers, `true` or
// `false`, quoted strings, a list of frames for a stack, durations in
// nanoseconds (`1500ns`) and file sizes in bytes (`4096b`).
void AppendNuonValue(std::string& out, const FieldValue& value);

// Returns AppendNuonValue() of `value`.
std::string NuonValue(const FieldValue& value);

// Appends one record, `{"NAME": VALUE, ...}` in JSON or in NUON, column by
// column, so that a printer can write an event's fields without building a
// Record first. The constructor appends the `{`, Finish() the `}`.
class RecordLineWriter {
 public:
  // `format` is kJson or kNuon.
  RecordLineWriter(OutputFormat format, std::string& out);

  void Add(std::string_view name, const FieldValue& value);
  void Add(std::string_view name, const CellValue& value);
  void Finish();

 private:
  void AppendName(std::string_view name);

  bool nuon_;
  std::string& out_;
  bool first_column_ = true;
};

// Returns `{"NAME": VALUE, ...}` in JSON or in NUON, without a newline.
// `format` is kJson or kNuon.
std::string FormatRecordLine(OutputFormat format, const Record& record);

// Returns the CSV header row of `record`: its column names.
std::string FormatCsvHeader(const Record& record);

// Returns the CSV row of `record`. Numbers are decimal (durations in
// nanoseconds, file sizes in bytes), null is empty, and a stack is its
// frames, one per line. Fields with a comma, a quote or a line break are
// quoted as RFC 4180 specifies.
std::string FormatCsvRow(const Record& record);

}  // namespace nubpf::runtime
