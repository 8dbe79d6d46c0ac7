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
bool WriteLine(std::FILE* out, const std::string& line) {
  if (std::fwrite(line.data(), 1, line.size(), out) != line.size()) {
    return false;
  }
  return std::fputc('\n', out) != EOF;
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

std::string FormatTableRow(const DecodedEvent& event) {
  assert(event.values.size() == event.event->fields.size() &&
         "one value per field");
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
  if (format_ == OutputFormat::kTable) return PrintTable(event);

  Record record;
  if (event.event->print) {
    record.push_back({"print", FieldValue(FormatPrintLine(*event.event->print, event.values))});
  } else {
    record = EventRecord(event);
  }
  if (std::optional<CellValue> time = TimeCell(event)) {
    record.insert(record.begin(), {"time", *time});
  }
  return PrintRecord(event.event, record);
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
  std::optional<std::string> time;
  if (clock_.mode != TimestampMode::kNone && event.time_ns) {
    time = PadCell(EventTimeText(clock_, *event.time_ns), EventTimeColumnWidth(clock_.mode),
                   /*right_aligned=*/true);
  }
  if (!event.event->print) return PrintTableRow(event, time);

  std::string line = FormatPrintLine(*event.event->print, event.values, /*for_terminal=*/true);
  if (time) line = *time + kColumnSeparator + line;
  return WriteLine(out_, line);
}

bool EventPrinter::PrintTableRow(const DecodedEvent& event,
                                 const std::optional<std::string>& time) {
  if (event.event != previous_event_) {
    previous_event_ = event.event;
    std::string header = FormatTableHeader(*event.event);
    if (time) {
      header = PadCell("time", EventTimeColumnWidth(clock_.mode), /*right_aligned=*/true) +
               kColumnSeparator + header;
    }
    if (!WriteLine(out_, header)) {
      return false;
    }
  }

  std::string row = FormatTableRow(event);
  if (!time) return WriteLine(out_, row);
  // The lines of a stack's later frames leave the time cell blank.
  std::string indent(time->size() + std::string_view(kColumnSeparator).size(), ' ');
  std::string out = *time + kColumnSeparator;
  for (char c : row) {
    out += c;
    if (c == '\n') out += indent;
  }
  return WriteLine(out_, out);
}

}  // namespace nubpf::runtime
