// The `.nubpf` metadata section of an object: which probes it has, the
// layout of each event record, and the aggregations and globals to print. The text
// format is specified in docs/object-format.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/error.h"
#include "runtime/field_type.h"
#include "runtime/parameters.h"
#include "runtime/print_template.h"

namespace nubpf::runtime {

// The metadata versions this loader reads; any other version is rejected.
// Version 2 added `attach` and `fallback` lines. Version 1 sections have
// none, and each of their programs attaches by its libbpf section name.
// Version 3 replaced `counter` lines by `aggregation` lines, and added
// `key`, `linear`, `store` and `global` lines. Version 4 added the u64
// time of the emit to the event record header, which moved every field by
// 8 bytes. Version 5 added the VALUE-SIZE of `store` lines. Version 6
// moved the counts of lost events and dropped inserts from per-CPU array
// maps into `.bss` (loader.h).
inline constexpr int kMetadataVersion = 6;
inline constexpr int kOldestMetadataVersion = 1;

// The first version whose event records carry the time of the emit.
inline constexpr int kEventTimeMetadataVersion = 4;

// The bytes of the event record header in metadata `version`: u32 event
// id and u32 BTF type id, then from version 4 on the u64 time.
uint32_t EventHeaderSize(int version);

// A position in the `.nu` source: 1-based line and column.
struct SourcePosition {
  uint32_t line = 0;
  uint32_t column = 0;
};

// The method by which the loader attaches a program: the KIND of its
// `attach` line.
enum class AttachKind {
  kSection,    // bpf_program__attach(), which reads the libbpf section name
  kUprobe,     // a uprobe on a file, at a symbol or at a file offset
  kUretprobe,  // a uprobe on the return of that function
  kProfile,    // a CPU clock perf event on every online CPU
  kInterval,   // a CPU clock perf event on one CPU
  kBegin,      // run once after loading, before any probe is attached
  kEnd,        // run once after every probe is detached
};

// The KIND as the metadata spells it: `section`, `uprobe`, ...
const char* AttachKindName(AttachKind kind);

// An `attach` line: what the loader needs beyond the section name.
struct AttachInfo {
  AttachKind kind = AttachKind::kSection;

  // kUprobe and kUretprobe: the file to probe and the function symbol.
  // Without a symbol, `offset` is the file offset of the probe; with one,
  // the offset from the symbol.
  std::string path;
  std::string symbol;
  uint64_t offset = 0;
  // The file offset of a USDT probe's semaphore, or 0 for none.
  uint64_t semaphore = 0;

  // kProfile and kInterval: exactly one of the two is above 0, the events
  // per second or the nanoseconds between events.
  uint64_t frequency = 0;
  uint64_t period_ns = 0;
};

// A `program` line: one BPF program and the probe it was compiled from.
struct ProgramInfo {
  // The ELF symbol of the program, as bpf_program__name() returns it.
  std::string function;
  // The probe target as written, such as
  // `tracepoint:syscalls:sys_enter_openat`.
  std::string target;
  SourcePosition position;
  AttachInfo attach;
  // From a `fallback` line: the program that replaces this one when the
  // kernel rejects loading or attaching it, and in that program, the one
  // it replaces. Empty when there is none.
  std::string fallback;
  std::string fallback_for;
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
  // The whole record, with its header (EventHeaderSize()).
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

// The KIND of an `aggregation` line. Each kind's map value is an array
// of u64 words; AggregationWordCount() gives how many.
enum class AggregationKind {
  kCount,      // [count]
  kSum,        // [sum]
  kAvg,        // [count, sum]
  kMin,        // [count, min]; count 0 means no value on that CPU
  kMax,        // [count, max]
  kStats,      // [count, sum, min, max]
  kHistogram,  // 65 power-of-two buckets
  kLinear,     // N + 2 buckets of a `linear` line's range
};

// The KIND as the metadata spells it: `count`, `sum`, ...
const char* AggregationKindName(AggregationKind kind);

// A `linear` line: the buckets of `histogram --linear MIN MAX STEP`.
struct LinearRange {
  int64_t min = 0;
  int64_t max = 0;
  int64_t step = 1;

  // N, the number of STEP-wide buckets between MIN and MAX, rounded up.
  uint32_t BucketCount() const;
};

// An `aggregation` line with its `key` and `linear` lines: one
// aggregation site (or several sharing `--as NAME`) and the map that
// stores it.
struct AggregationInfo {
  // The map symbol.
  std::string map;
  // The name printed for people: the map symbol, or for a `counter` line
  // its LABEL (`count by comm`).
  std::string name;
  AggregationKind kind = AggregationKind::kCount;
  SourcePosition position;
  // kU64 for `count`; kI64, kDuration or kFileSize for the piped-in value.
  FieldType value_type = FieldType::kU64;
  // 0 for a keyless aggregation, a one-entry per-CPU array.
  uint32_t key_size = 0;
  // The map's capacity, for the drop message; 0 when the metadata does not
  // give it (version 1 and 2 counters).
  uint32_t max_entries = 0;
  // The slot of `nubpf_drops` that counts failed inserts; nullopt when the
  // map cannot drop (keyless, or LRU).
  std::optional<uint32_t> drop_slot;
  // The key fields in key order, offsets from the start of the key.
  std::vector<FieldInfo> key;
  // Set for kLinear only.
  std::optional<LinearRange> linear;
};

// A `store` line with its `key` lines: a keyed value shared by probes.
// nubpf-run does not print stores, but reports their drops.
struct StoreInfo {
  std::string map;
  SourcePosition position;
  uint32_t key_size = 0;
  uint32_t max_entries = 0;
  std::optional<uint32_t> drop_slot;
  // 8 before version 5, whose stores may hold strings.
  uint32_t value_size = 8;
  std::vector<FieldInfo> key;
};

// A `global` line: a top-level `mut NAME` at OFFSET in `.data`.
struct GlobalInfo {
  std::string name;
  FieldType type = FieldType::kI64;
  uint32_t offset = 0;
  uint32_t size = 0;
};

struct Metadata {
  int version = 0;
  // The `.nu` path as given to nubpfc; empty when the section has no
  // `source` line.
  std::string source;
  std::vector<ProgramInfo> programs;
  // Sorted by id.
  std::vector<EventInfo> events;
  // In metadata order; version 1 and 2 `counter` lines become `count`
  // aggregations.
  std::vector<AggregationInfo> aggregations;
  std::vector<StoreInfo> stores;
  std::vector<GlobalInfo> globals;
  // The flags of `def main`, in declaration order; a loader that skips
  // these lines loads the defaults.
  std::vector<ParameterInfo> parameters;

  const ProgramInfo* FindProgram(std::string_view function) const;
  ProgramInfo* FindProgram(std::string_view function);
  const EventInfo* FindEvent(uint32_t id) const;
  // Whether each event record carries the time of its emit.
  bool HasEventTimes() const { return version >= kEventTimeMetadataVersion; }
};

// Parses the text of a `.nubpf` section. Rejects a missing or unknown
// version, a line of a known kind with the wrong number of fields or an
// invalid value, a field outside its record and a duplicate event id. Also
// rejects a `print` line for an unknown event, a second `print` line for
// one event and a template that ParsePrintTemplate() rejects. `attach` and
// `fallback` lines must name programs that have a `program` line, and from
// version 2 on every program needs one `attach` line. Skips lines of
// unknown kinds. Errors name the 1-based line in the section.
ErrorOr<Metadata> ParseMetadata(std::string_view text);

}  // namespace nubpf::runtime
