// The `.nubpf` metadata section of an object: which probes it has, the
// layout of each event record and the counters to print at exit. The text
// format is specified in docs/object-format.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/error.h"
#include "runtime/field_type.h"
#include "runtime/print_template.h"

namespace nubpf::runtime {

// The metadata version this loader reads; any other version is rejected.
inline constexpr int kMetadataVersion = 1;

// A position in the `.nu` source: 1-based line and column.
struct SourcePosition {
  uint32_t line = 0;
  uint32_t column = 0;
};

// A `program` line: one BPF program and the probe it was compiled from.
struct ProgramInfo {
  // The ELF symbol of the program, as bpf_program__name() returns it.
  std::string function;
  // The probe target as written, such as
  // `tracepoint:syscalls:sys_enter_openat`.
  std::string target;
  SourcePosition position;
};

// A `field` line: one value of an event record.
struct FieldInfo {
  std::string name;
  FieldType type = FieldType::kU64;
  // Byte offset from the start of the record, header included.
  uint32_t offset = 0;
  uint32_t size = 0;
};

// An `event` line with its `field` and `print` lines: the layout of one
// `emit` or `print` site.
struct EventInfo {
  uint32_t id = 0;
  // The whole record, with its 8-byte header.
  uint32_t size = 0;
  // The first BPF program that emits it: the matches of a wildcard target
  // share one event.
  std::string function;
  SourcePosition position;
  // In record order.
  std::vector<FieldInfo> fields;
  // The line a `print` site formats from the fields; nullopt for an `emit`
  // site, whose fields print as a table row or a JSON object.
  std::optional<PrintTemplate> print;
};

// The key of a keyed counter (`VALUE | count`).
struct CounterKey {
  std::string name;
  FieldType type = FieldType::kU64;
  uint32_t size = 0;
};

// A `counter` line: one `count` site and the map that stores it.
struct CounterInfo {
  std::string map;
  // Names the counter for people: `count`, `count by comm`.
  std::string label;
  SourcePosition position;
  // nullopt for a keyless counter, a one-entry per-CPU array.
  std::optional<CounterKey> key;
};

struct Metadata {
  int version = 0;
  // The `.nu` path as given to nubpfc; empty when the section has no
  // `source` line.
  std::string source;
  std::vector<ProgramInfo> programs;
  // Sorted by id.
  std::vector<EventInfo> events;
  std::vector<CounterInfo> counters;

  const ProgramInfo* FindProgram(std::string_view function) const;
  const EventInfo* FindEvent(uint32_t id) const;
};

// Parses the text of a `.nubpf` section. Rejects a missing or unknown
// version, a line of a known kind with the wrong number of fields or an
// invalid value, a field outside its record and a duplicate event id. Also
// rejects a `print` line for an unknown event, a second `print` line for
// one event and a template that ParsePrintTemplate() rejects. Skips lines
// of unknown kinds. Errors name the 1-based line in the section.
ErrorOr<Metadata> ParseMetadata(std::string_view text);

}  // namespace nubpf::runtime
