#include "runtime/event_printer.h"

#include <algorithm>
#include <cassert>

#include "runtime/record_format.h"

namespace nubpf::runtime {
namespace {

constexpr const char* kColumnSeparator = "  ";

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

bool WriteLine(std::FILE* out, const std::string& line) {
  if (std::fwrite(line.data(), 1, line.size(), out) != line.size()) {
    return false;
  }
  if (std::fputc('\n', out) == EOF) {
    return false;
  }
  return std::fflush(out) == 0;
}

}  // namespace

Record EventRecord(const DecodedEvent& event) {
  Record record;
  for (size_t i = 0; i < event.values.size(); ++i) {
    record.push_back({event.event->fields[i].name, event.values[i]});
  }
  return record;
}

std::string FormatEventJson(const DecodedEvent& event) {
  assert(event.values.size() == event.event->fields.size() &&
         "one value per field");
  std::string out = "{";
  for (size_t i = 0; i < event.values.size(); ++i) {
    if (i > 0) {
      out += ", ";
    }
    out += JsonQuote(event.event->fields[i].name);
    out += ": ";
    out += JsonValue(event.values[i]);
  }
  out += "}";
  return out;
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

std::string FormatPrintLine(const PrintTemplate& print,
                            const std::vector<FieldValue>& values) {
  std::string line;
  for (const PrintPart& part : print.parts) {
    if (const auto* text = std::get_if<std::string>(&part)) {
      line += *text;
      continue;
    }
    uint32_t index = std::get<PrintField>(part).index;
    assert(index < values.size() &&
           "ParseMetadata() checks field indexes against the event");
    line += FormatInterpolatedValue(values[index]);
  }
  return line;
}

std::string FormatPrintJson(std::string_view line) {
  return "{\"print\": " + JsonQuote(line) + "}";
}

bool EventPrinter::Print(const DecodedEvent& event) {
  if (event.event->print) {
    std::string line = FormatPrintLine(*event.event->print, event.values);
    Record record = {{"print", FieldValue(line)}};
    switch (format_) {
      case OutputFormat::kJson:
        return WriteLine(out_, FormatPrintJson(line));
      case OutputFormat::kNuon:
        return WriteLine(out_, FormatRecordLine(format_, record));
      case OutputFormat::kCsv:
        return PrintCsvRow(event.event, record);
      case OutputFormat::kTable:
        return WriteLine(out_, line);
    }
    return false;
  }

  switch (format_) {
    case OutputFormat::kJson:
      return WriteLine(out_, FormatEventJson(event));
    case OutputFormat::kNuon:
      return WriteLine(out_, FormatRecordLine(format_, EventRecord(event)));
    case OutputFormat::kCsv:
      return PrintCsvRow(event.event, EventRecord(event));
    case OutputFormat::kTable:
      return PrintTableRow(event);
  }
  return false;
}

bool EventPrinter::PrintCsvRow(const EventInfo* event, const Record& record) {
  if (event != previous_event_) {
    previous_event_ = event;
    if (!WriteLine(out_, FormatCsvHeader(record))) {
      return false;
    }
  }
  return WriteLine(out_, FormatCsvRow(record));
}

bool EventPrinter::PrintTableRow(const DecodedEvent& event) {
  if (event.event != previous_event_) {
    previous_event_ = event.event;
    if (!WriteLine(out_, FormatTableHeader(*event.event))) {
      return false;
    }
  }
  return WriteLine(out_, FormatTableRow(event));
}

}  // namespace nubpf::runtime
