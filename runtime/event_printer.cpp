#include "runtime/event_printer.h"

#include <algorithm>
#include <cassert>
#include <string_view>

#include "runtime/lost_events.h"
#include "runtime/record_format.h"

namespace nubpf::runtime {
namespace {

constexpr const char* kColumnSeparator = "  ";

// The kind of lost event records, for the CSV header: no event has it.
const EventInfo kLostEventsKind{};

size_t FieldColumnWidth(const FieldInfo& field) {
  return std::max(ColumnWidth(field.type, field.size),
                  DisplayWidth(field.name));
}

// Pads every cell but a left-aligned last one, so lines carry no trailing
// spaces.
std::string Cell(const FieldInfo& field, std::string_view text, bool last) {
  bool right_aligned = IsRightAligned(field.type);
  if (last && !right_aligned) {
    return std::string(text);
  }
  return PadCell(text, FieldColumnWidth(field), right_aligned);
}

// Writes into the stream's buffer; Flush() hands the buffer on, once for
// all the records of a poll, because a flush per record costs a write(2)
// each and capped the rate at about half a million records a second.
bool WriteText(std::FILE* out, std::string_view text) {
  return std::fwrite(text.data(), 1, text.size(), out) == text.size();
}

bool WriteLine(std::FILE* out, std::string_view line) {
  return WriteText(out, line) && std::fputc('\n', out) != EOF;
}

// Pads the cell that `out` contains from `cell_start` on, as Cell() does.
void PadCellAt(std::string& out, size_t cell_start, const FieldInfo& field, bool last) {
  bool right_aligned = IsRightAligned(field.type);
  if (last && !right_aligned) return;
  PadCellInPlace(out, cell_start, FieldColumnWidth(field), right_aligned);
}

bool HoldsStack(const FieldValue& value) { return std::holds_alternative<StackTrace>(value); }

// Returns the row of an event with a stack, which spans one line per frame.
std::string FormatMultiLineRow(const DecodedEvent& event) {
  std::vector<std::vector<std::string>> cells;
  size_t height = 1;
  for (const FieldValue& value : event.values) {
    cells.push_back(TableLines(value));
    height = std::max(height, cells.back().size());
  }

  std::string out;
  for (size_t line = 0; line < height; ++line) {
    std::string text;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) {
        text += kColumnSeparator;
      }
      std::string_view cell =
          line < cells[i].size() ? std::string_view(cells[i][line]) : std::string_view();
      text += Cell(event.event->fields[i], cell, i + 1 == cells.size());
    }
    if (line > 0) {
      // The cells beside a stack's later frames are empty.
      text.erase(text.find_last_not_of(' ') + 1);
      out += '\n';
    }
    out += text;
  }
  return out;
}

}  // namespace

Record EventRecord(const DecodedEvent& event) {
  Record record;
  for (size_t i = 0; i < event.values.size(); ++i) {
    record.push_back({event.event->fields[i].name, event.values[i]});
  }
  return record;
}

std::string FormatTableHeader(const EventInfo& event) {
  std::string out;
  for (size_t i = 0; i < event.fields.size(); ++i) {
    const FieldInfo& field = event.fields[i];
    if (i > 0) {
      out += kColumnSeparator;
    }
    out += Cell(field, TableText(field.name), i + 1 == event.fields.size());
  }
  return out;
}

void AppendTableRow(std::string& out, const DecodedEvent& event) {
  assert(event.values.size() == event.event->fields.size() &&
         "one value per field");
  if (std::any_of(event.values.begin(), event.values.end(), HoldsStack)) {
    out += FormatMultiLineRow(event);
    return;
  }

  // Each cell goes straight into `out` and is padded there, so a row of
  // numbers and plain strings takes no allocation.
  for (size_t i = 0; i < event.values.size(); ++i) {
    if (i > 0) {
      out += kColumnSeparator;
    }
    size_t cell_start = out.size();
    AppendTableScalar(out, event.values[i]);
    PadCellAt(out, cell_start, event.event->fields[i], i + 1 == event.values.size());
  }
}

std::string FormatTableRow(const DecodedEvent& event) {
  std::string out;
  AppendTableRow(out, event);
  return out;
}

std::string FormatPrintLine(const PrintTemplate& print, const std::vector<FieldValue>& values,
                            bool for_terminal) {
  std::string line;
  for (const PrintPart& part : print.parts) {
    if (const auto* text = std::get_if<std::string>(&part)) {
      line += *text;
      continue;
    }
    uint32_t index = std::get<PrintField>(part).index;
    assert(index < values.size() &&
           "ParseMetadata() checks field indexes against the event");
    const auto* text = std::get_if<std::string>(&values[index]);
    line += for_terminal && text != nullptr ? TableText(*text)
                                            : FormatInterpolatedValue(values[index]);
  }
  return line;
}

std::optional<CellValue> EventPrinter::TimeCell(const DecodedEvent& event) const {
  if (clock_.mode == TimestampMode::kNone || !event.time_ns) return std::nullopt;
  return EventTimeCell(clock_, *event.time_ns);
}

bool EventPrinter::Print(const DecodedEvent& event) {
  switch (format_) {
    case OutputFormat::kTable:
      return PrintTable(event);
    case OutputFormat::kJson:
    case OutputFormat::kNuon:
      return PrintRecordLine(event);
    case OutputFormat::kCsv:
      break;
  }

  Record record;
  if (event.event->print) {
    record.push_back({"print", FieldValue(FormatPrintLine(*event.event->print, event.values))});
  } else {
    record = EventRecord(event);
  }
  if (std::optional<CellValue> time = TimeCell(event)) {
    record.insert(record.begin(), {"time", *time});
  }
  return PrintCsvRow(event.event, record);
}

// Writes the columns that Print() gives a CSV record, in the same order,
// straight into `line_`, so that no Record is built per event.
bool EventPrinter::PrintRecordLine(const DecodedEvent& event) {
  line_.clear();
  RecordLineWriter writer(format_, line_);
  if (std::optional<CellValue> time = TimeCell(event)) {
    writer.Add("time", *time);
  }
  if (event.event->print) {
    writer.Add("print", FieldValue(FormatPrintLine(*event.event->print, event.values)));
  } else {
    for (size_t i = 0; i < event.values.size(); ++i) {
      writer.Add(event.event->fields[i].name, event.values[i]);
    }
  }
  writer.Finish();
  line_ += '\n';
  return WriteText(out_, line_);
}

bool EventPrinter::PrintLostEvents(uint64_t lost) {
  assert(format_ != OutputFormat::kTable && "tables report losses on stderr");
  std::optional<CellValue> time;
  if (clock_.mode != TimestampMode::kNone) {
    time = EventTimeCell(clock_, static_cast<uint64_t>(MonotonicNowNs()));
  }
  return PrintRecord(&kLostEventsKind, LostEventsRecord(lost, time));
}

bool EventPrinter::PrintRecord(const EventInfo* kind, const Record& record) {
  switch (format_) {
    case OutputFormat::kJson:
    case OutputFormat::kNuon:
      return WriteLine(out_, FormatRecordLine(format_, record));
    case OutputFormat::kCsv:
      return PrintCsvRow(kind, record);
    case OutputFormat::kTable:
      break;
  }
  assert(false && "tables print through PrintTable()");
  return false;
}

bool EventPrinter::PrintCsvRow(const EventInfo* kind, const Record& record) {
  if (kind != previous_event_) {
    previous_event_ = kind;
    if (!WriteLine(out_, FormatCsvHeader(record))) {
      return false;
    }
  }
  return WriteLine(out_, FormatCsvRow(record));
}

bool EventPrinter::PrintTable(const DecodedEvent& event) {
  line_.clear();
  if (clock_.mode != TimestampMode::kNone && event.time_ns) {
    line_ += EventTimeText(clock_, *event.time_ns);
    PadCellInPlace(line_, 0, EventTimeColumnWidth(clock_.mode), /*right_aligned=*/true);
    line_ += kColumnSeparator;
  }
  if (!event.event->print) return PrintTableRow(event, line_.size());

  line_ += FormatPrintLine(*event.event->print, event.values, /*for_terminal=*/true);
  line_ += '\n';
  return WriteText(out_, line_);
}

// Prints the row after the time cell and separator in the first
// `time_prefix_size` bytes of `line_`. Without --timestamps that size is 0.
bool EventPrinter::PrintTableRow(const DecodedEvent& event, size_t time_prefix_size) {
  if (event.event != previous_event_) {
    previous_event_ = event.event;
    std::string header = FormatTableHeader(*event.event);
    if (time_prefix_size > 0) {
      header = PadCell("time", EventTimeColumnWidth(clock_.mode), /*right_aligned=*/true) +
               kColumnSeparator + header;
    }
    if (!WriteLine(out_, header)) {
      return false;
    }
  }

  AppendTableRow(line_, event);
  if (time_prefix_size > 0 && line_.find('\n', time_prefix_size) != std::string::npos) {
    // The lines of a stack's later frames leave the time cell blank.
    std::string row = line_.substr(time_prefix_size);
    line_.resize(time_prefix_size);
    for (char c : row) {
      line_ += c;
      if (c == '\n') line_.append(time_prefix_size, ' ');
    }
  }
  line_ += '\n';
  return WriteText(out_, line_);
}

}  // namespace nubpf::runtime
