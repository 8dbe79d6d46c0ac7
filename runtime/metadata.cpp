#include "runtime/metadata.h"

#include <fmt/core.h>

#include <algorithm>
#include <map>

#include "runtime/aggregation_metadata.h"
#include "runtime/attach_metadata.h"
#include "runtime/metadata_lines.h"

namespace nubpf::runtime {
namespace {

// A `print` line whose template waits until its event's fields are known.
struct PendingPrint {
  uint32_t line_number = 0;
  uint32_t event_id = 0;
  std::string template_text;
};

// The parser's state: what has been read so far, and the field and print
// lines that wait until every event line has been seen.
struct Parser {
  Metadata metadata;
  std::map<std::string, uint32_t> program_lines;
  std::map<uint32_t, EventInfo> events;
  std::map<uint32_t, uint32_t> event_lines;
  std::vector<std::pair<MetadataLine, uint32_t>> pending_fields;
  std::vector<FieldInfo> parsed_fields;
  // By event id, so that a second `print` line for an event is found.
  std::map<uint32_t, PendingPrint> pending_prints;
  AttachLines attach_lines;
  AggregationLines aggregation_lines;
  // From the `nubpfc` line, for the version error.
  std::string_view nubpfc_release;

  std::optional<Error> ParseVersion(const MetadataLine& line);
  std::optional<Error> ParseSource(const MetadataLine& line);
  std::optional<Error> ParseProgram(const MetadataLine& line);
  std::optional<Error> ParseEvent(const MetadataLine& line);
  std::optional<Error> ParseField(const MetadataLine& line);
  std::optional<Error> ParsePrint(const MetadataLine& line);
  std::optional<Error> AttachFieldsToEvents();
  std::optional<Error> AttachPrintsToEvents();
  void MoveEventsToMetadata();
};

// Returns RELEASE from the `nubpfc RELEASE` line of `text`, or an empty
// string for an object of a nubpfc before that line. The version check
// reads it before any other line is parsed.
std::string_view FindNubpfcRelease(std::string_view text) {
  constexpr std::string_view kPrefix = "\nnubpfc\t";
  size_t start = text.find(kPrefix);
  if (start == std::string_view::npos) return {};
  start += kPrefix.size();
  return text.substr(start, text.find('\n', start) - start);
}

// Builds the error for a metadata version this nubpf-run cannot read. The
// version identifies the format, so the message compares the nubpfc that
// wrote the object with the one that comes with this nubpf-run. `release`
// is the writer's release, empty when the object has no `nubpfc` line.
Error UnsupportedVersionError(uint32_t version, std::string_view release) {
  bool newer = version > static_cast<uint32_t>(kMetadataVersion);
  std::string writer = release.empty() ? "" : fmt::format(" ({})", release);
  Error error;
  error.message = fmt::format(
      "the object was written by {} nubpfc{}, whose `.nubpf` metadata is version {}, "
      "but this nubpf-run ({}) reads versions {} to {}, which its own nubpfc writes "
      "as version {}",
      newer ? "a newer" : "an older", writer, version, NUBPF_RELEASE,
      kOldestMetadataVersion, kMetadataVersion, kMetadataVersion);
  std::string rebuild =
      "rebuild the object from its .nu file with the nubpfc that comes with this nubpf-run";
  error.help = newer ? fmt::format("upgrade nubpf-run to the release of the nubpfc that "
                                   "built the object{}, or {}",
                                   writer, rebuild)
                     : rebuild;
  return error;
}

std::optional<Error> Parser::ParseVersion(const MetadataLine& line) {
  if (line.values[0] != "nubpf") {
    return LineError(line.number,
                     fmt::format("the first line must be `nubpf<TAB>{}`, "
                                 "found a `{}` line",
                                 kMetadataVersion, PrintableValue(line.values[0])));
  }
  if (auto error = CheckValueCount(line, 1)) {
    return error;
  }

  ErrorOr<uint32_t> version = ParseNumber(line, 1, "version");
  if (!version) {
    return version.TakeError();
  }
  if (*version < kOldestMetadataVersion || *version > kMetadataVersion) {
    return UnsupportedVersionError(*version, nubpfc_release);
  }
  metadata.version = static_cast<int>(*version);
  return std::nullopt;
}

std::optional<Error> Parser::ParseSource(const MetadataLine& line) {
  if (auto error = CheckValueCount(line, 1)) {
    return error;
  }
  metadata.source = std::string(line.values[1]);
  return std::nullopt;
}

// program FUNCTION TARGET LINE COLUMN
std::optional<Error> Parser::ParseProgram(const MetadataLine& line) {
  if (auto error = CheckValueCount(line, 4)) {
    return error;
  }
  ErrorOr<SourcePosition> position = ParsePosition(line, 3);
  if (!position) {
    return position.TakeError();
  }

  // `attach` and `fallback` lines find their program by name.
  ProgramInfo program;
  program.function = std::string(line.values[1]);
  if (auto previous = program_lines.find(program.function);
      previous != program_lines.end()) {
    return LineError(line.number,
                     fmt::format("program `{}` already has a `program` line "
                                 "at line {}",
                                 program.function, previous->second));
  }
  program_lines[program.function] = line.number;
  program.target = std::string(line.values[2]);
  program.position = *position;
  metadata.programs.push_back(std::move(program));
  return std::nullopt;
}

// event ID SIZE FUNCTION LINE COLUMN
std::optional<Error> Parser::ParseEvent(const MetadataLine& line) {
  if (auto error = CheckValueCount(line, 5)) {
    return error;
  }
  ErrorOr<uint32_t> id = ParseNumber(line, 1, "event ID");
  if (!id) {
    return id.TakeError();
  }
  ErrorOr<uint32_t> size = ParseNumber(line, 2, "event SIZE");
  if (!size) {
    return size.TakeError();
  }
  ErrorOr<SourcePosition> position = ParsePosition(line, 4);
  if (!position) {
    return position.TakeError();
  }

  uint32_t header_size = EventHeaderSize(metadata.version);
  if (*size < header_size) {
    return LineError(line.number,
                     fmt::format("event {} has size {}, smaller than its "
                                 "{}-byte header",
                                 *id, *size, header_size));
  }
  if (auto previous = event_lines.find(*id); previous != event_lines.end()) {
    return LineError(line.number,
                     fmt::format("event {} is already defined at line {}", *id,
                                 previous->second));
  }

  event_lines[*id] = line.number;
  EventInfo& event = events[*id];
  event.id = *id;
  event.size = *size;
  event.function = std::string(line.values[3]);
  event.position = *position;
  return std::nullopt;
}

// field EVENT-ID NAME TYPE OFFSET SIZE
//
// Only checks the line itself; AttachFieldsToEvents() checks it against its
// event once every event line has been read.
std::optional<Error> Parser::ParseField(const MetadataLine& line) {
  if (auto error = CheckValueCount(line, 5)) {
    return error;
  }
  ErrorOr<uint32_t> event_id = ParseNumber(line, 1, "field EVENT-ID");
  if (!event_id) {
    return event_id.TakeError();
  }
  std::string_view name = line.values[2];
  std::optional<FieldType> type = ParseFieldType(line.values[3]);
  if (!type) {
    return LineError(line.number,
                     fmt::format("field `{}` has unknown type `{}`; expected "
                                 "one of u8 u16 u32 u64 i8 i16 i32 i64 bool "
                                 "string duration filesize kstack ustack",
                                 name, line.values[3]));
  }
  ErrorOr<uint32_t> offset = ParseNumber(line, 4, "field OFFSET");
  if (!offset) {
    return offset.TakeError();
  }
  ErrorOr<uint32_t> size = ParseNumber(line, 5, "field SIZE");
  if (!size) {
    return size.TakeError();
  }
  if (auto error = CheckTypeSize(line, *type, *size, name)) {
    return error;
  }

  pending_fields.emplace_back(line, *event_id);
  parsed_fields.push_back(FieldInfo{std::string(name), *type, *offset, *size});
  return std::nullopt;
}

// print EVENT-ID TEMPLATE
//
// Only checks the event id and that the event has no other `print` line;
// AttachPrintsToEvents() parses the template once the fields are known.
std::optional<Error> Parser::ParsePrint(const MetadataLine& line) {
  if (auto error = CheckValueCount(line, 2)) {
    return error;
  }
  ErrorOr<uint32_t> event_id = ParseNumber(line, 1, "print EVENT-ID");
  if (!event_id) {
    return event_id.TakeError();
  }
  auto previous = pending_prints.find(*event_id);
  if (previous != pending_prints.end()) {
    return LineError(line.number,
                     fmt::format("event {} already has a `print` line at "
                                 "line {}",
                                 *event_id, previous->second.line_number));
  }

  pending_prints[*event_id] =
      PendingPrint{line.number, *event_id, std::string(line.values[2])};
  return std::nullopt;
}

std::optional<Error> Parser::AttachFieldsToEvents() {
  for (size_t i = 0; i < pending_fields.size(); ++i) {
    const auto& [line, event_id] = pending_fields[i];
    FieldInfo& field = parsed_fields[i];

    auto event = events.find(event_id);
    if (event == events.end()) {
      return LineError(line.number,
                       fmt::format("field `{}` belongs to event {}, which "
                                   "has no `event` line",
                                   field.name, event_id));
    }

    // Offsets come from a compiler but the decoder trusts them, so they
    // must stay inside the record and after its header.
    uint32_t header_size = EventHeaderSize(metadata.version);
    uint64_t end = uint64_t{field.offset} + field.size;
    if (field.offset < header_size || end > event->second.size) {
      return LineError(line.number,
                       fmt::format("field `{}` covers bytes {}..{}, outside "
                                   "bytes {}..{} of event {}",
                                   field.name, field.offset, end, header_size,
                                   event->second.size, event_id));
    }

    for (const FieldInfo& other : event->second.fields) {
      if (other.name == field.name) {
        return LineError(line.number,
                         fmt::format("event {} has two fields named `{}`",
                                     event_id, field.name));
      }
    }
    event->second.fields.push_back(std::move(field));
  }
  return std::nullopt;
}

// Runs after AttachFieldsToEvents(), because a template may refer only to
// fields its event has. Reports the first bad line in section order.
std::optional<Error> Parser::AttachPrintsToEvents() {
  std::vector<const PendingPrint*> in_line_order;
  for (const auto& [event_id, print] : pending_prints) {
    in_line_order.push_back(&print);
  }
  std::sort(in_line_order.begin(), in_line_order.end(),
            [](const PendingPrint* a, const PendingPrint* b) {
              return a->line_number < b->line_number;
            });

  for (const PendingPrint* print : in_line_order) {
    auto event = events.find(print->event_id);
    if (event == events.end()) {
      return LineError(print->line_number,
                       fmt::format("`print` line for event {}, which has no "
                                   "`event` line",
                                   print->event_id));
    }

    ErrorOr<PrintTemplate> parsed =
        ParsePrintTemplate(print->template_text, event->second.fields.size());
    if (!parsed) {
      return LineError(print->line_number,
                       fmt::format("`print` template of event {}: {}",
                                   print->event_id, parsed.error().message));
    }
    event->second.print = std::move(*parsed);
  }
  return std::nullopt;
}

void Parser::MoveEventsToMetadata() {
  for (auto& [id, event] : events) {
    metadata.events.push_back(std::move(event));
  }
}

std::optional<Error> ParseLine(Parser& parser, const MetadataLine& line) {
  std::string_view kind = line.values[0];
  if (kind == "nubpf") {
    return LineError(line.number, "a second `nubpf` version line");
  }
  if (kind == "source") {
    return parser.ParseSource(line);
  }
  if (kind == "program") {
    return parser.ParseProgram(line);
  }
  if (kind == "event") {
    return parser.ParseEvent(line);
  }
  if (kind == "field") {
    return parser.ParseField(line);
  }
  if (kind == "aggregation") {
    return parser.aggregation_lines.ParseAggregation(line);
  }
  if (kind == "key") {
    return parser.aggregation_lines.ParseKey(line);
  }
  if (kind == "linear") {
    return parser.aggregation_lines.ParseLinear(line);
  }
  if (kind == "store") {
    return parser.aggregation_lines.ParseStore(line);
  }
  if (kind == "global") {
    return parser.aggregation_lines.ParseGlobal(line);
  }
  if (kind == "param") {
    return ParseParameterLine(line, &parser.metadata.parameters);
  }
  if (kind == "counter") {
    return parser.aggregation_lines.ParseCounter(line);
  }
  if (kind == "print") {
    return parser.ParsePrint(line);
  }
  if (kind == "attach") {
    return parser.attach_lines.ParseAttach(line);
  }
  if (kind == "fallback") {
    return parser.attach_lines.ParseFallback(line);
  }

  // Later versions add line kinds without breaking this loader.
  return std::nullopt;
}

}  // namespace

uint32_t EventHeaderSize(int version) {
  return version >= kEventTimeMetadataVersion ? 16 : 8;
}

const ProgramInfo* Metadata::FindProgram(std::string_view function) const {
  for (const ProgramInfo& program : programs) {
    if (program.function == function) {
      return &program;
    }
  }
  return nullptr;
}

ProgramInfo* Metadata::FindProgram(std::string_view function) {
  const Metadata& self = *this;
  return const_cast<ProgramInfo*>(self.FindProgram(function));
}

const EventInfo* Metadata::FindEvent(uint32_t id) const {
  auto event = std::lower_bound(
      events.begin(), events.end(), id,
      [](const EventInfo& info, uint32_t key) { return info.id < key; });
  if (event == events.end() || event->id != id) {
    return nullptr;
  }
  return &*event;
}

ErrorOr<Metadata> ParseMetadata(std::string_view text) {
  Parser parser;
  parser.nubpfc_release = FindNubpfcRelease(text);
  bool seen_version = false;
  uint32_t line_number = 0;

  size_t start = 0;
  while (start < text.size()) {
    size_t newline = text.find('\n', start);
    if (newline == std::string_view::npos) {
      newline = text.size();
    }
    std::string_view raw_line = text.substr(start, newline - start);
    start = newline + 1;
    ++line_number;

    // Blank lines carry nothing; a trailing newline makes one.
    if (raw_line.empty()) {
      continue;
    }

    MetadataLine line{line_number, SplitAtTabs(raw_line)};
    std::optional<Error> error =
        seen_version ? ParseLine(parser, line) : parser.ParseVersion(line);
    if (error) {
      return std::move(*error);
    }
    seen_version = true;
  }

  if (!seen_version) {
    return MetadataError("the `.nubpf` metadata section is empty");
  }
  if (auto error = parser.AttachFieldsToEvents()) {
    return std::move(*error);
  }
  if (auto error = parser.AttachPrintsToEvents()) {
    return std::move(*error);
  }
  if (auto error = parser.attach_lines.ApplyTo(parser.metadata)) {
    return std::move(*error);
  }
  if (auto error = parser.aggregation_lines.MoveTo(parser.metadata)) {
    return std::move(*error);
  }
  parser.MoveEventsToMetadata();
  return std::move(parser.metadata);
}

}  // namespace nubpf::runtime
