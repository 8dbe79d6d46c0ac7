#include "runtime/object_listing.h"

#include <bpf/libbpf.h>
#include <fmt/core.h>

#include <cerrno>
#include <cstring>

#include "runtime/libbpf_log.h"
#include "runtime/load_errors.h"
#include "runtime/object_file.h"
#include "runtime/parameters.h"

namespace nubpf::runtime {
namespace {

ListingValue Text(std::string text) { return ListingValue{std::move(text)}; }
ListingValue Number(uint64_t number) { return ListingValue{number}; }

std::string SourceLocation(const Metadata& metadata, SourcePosition position) {
  std::string source = metadata.source.empty() ? "<unknown source>" : metadata.source;
  return fmt::format("{}:{}:{}", source, position.line, position.column);
}

// The probe family as the target spells it: `tracepoint` for
// `tracepoint:syscalls:sys_enter_openat`, `usdt`, `begin`.
std::string FamilyOf(const ProgramInfo& info) {
  return info.target.substr(0, info.target.find(':'));
}

// `[{name: NAME, type: TYPE}, ...]`, the layout of an event or a key.
ListingValue FieldList(const std::vector<FieldInfo>& fields) {
  std::vector<ListingRecord> list;
  for (const FieldInfo& field : fields) {
    list.push_back({{{"name", Text(field.name)}, {"type", Text(FieldTypeName(field.type))}}});
  }
  return ListingValue{std::move(list)};
}

// The template of a `print` event as its metadata line writes it: `{N}`
// for field N and doubled braces in the text.
std::string TemplateText(const PrintTemplate& print) {
  std::string text;
  for (const PrintPart& part : print.parts) {
    if (const auto* field = std::get_if<PrintField>(&part)) {
      text += fmt::format("{{{}}}", field->index);
      continue;
    }
    for (char c : std::get<std::string>(part)) {
      text += c;
      if (c == '{' || c == '}') text += c;
    }
  }
  return text;
}

void AddProbes(const Metadata& metadata, std::vector<ListingRecord>& out) {
  for (const ProgramInfo& info : metadata.programs) {
    // A fallback shows in the row of the program it replaces.
    if (!info.fallback_for.empty()) continue;
    const ProgramInfo* fallback =
        info.fallback.empty() ? nullptr : metadata.FindProgram(info.fallback);
    out.push_back({{
        {"kind", Text("probe")},
        {"name", Text(info.function)},
        {"family", Text(FamilyOf(info))},
        {"target", Text(info.target)},
        {"fallback", fallback == nullptr ? ListingValue{} : Text(fallback->target)},
        {"source", Text(SourceLocation(metadata, info.position))},
    }});
  }
}

void AddMaps(bpf_object* object, std::vector<ListingRecord>& out) {
  bpf_map* map;
  bpf_object__for_each_map(map, object) {
    const char* type = libbpf_bpf_map_type_str(bpf_map__type(map));
    out.push_back({{
        {"kind", Text("map")},
        {"name", Text(bpf_map__name(map))},
        {"type", Text(type == nullptr ? "unknown" : type)},
        {"key_size", Number(bpf_map__key_size(map))},
        {"value_size", Number(bpf_map__value_size(map))},
        {"max_entries", Number(bpf_map__max_entries(map))},
    }});
  }
}

void AddParameters(const Metadata& metadata, std::vector<ListingRecord>& out) {
  for (const ParameterInfo& parameter : metadata.parameters) {
    out.push_back({{
        {"kind", Text("parameter")},
        {"name", Text(parameter.name)},
        {"type", Text(ParameterTypeLabel(parameter.type))},
        {"default", Text(parameter.default_text)},
    }});
  }
}

void AddEvents(const Metadata& metadata, std::vector<ListingRecord>& out) {
  for (const EventInfo& event : metadata.events) {
    out.push_back({{
        {"kind", Text("event")},
        {"id", Number(event.id)},
        {"site", Text(event.print ? "print" : "emit")},
        {"program", Text(event.function)},
        {"source", Text(SourceLocation(metadata, event.position))},
        {"fields", FieldList(event.fields)},
        {"template", event.print ? Text(TemplateText(*event.print)) : ListingValue{}},
    }});
  }
}

void AddAggregations(const Metadata& metadata, std::vector<ListingRecord>& out) {
  for (const AggregationInfo& aggregation : metadata.aggregations) {
    bool counts = aggregation.kind == AggregationKind::kCount;
    out.push_back({{
        {"kind", Text("aggregation")},
        {"name", Text(aggregation.name)},
        {"function", Text(AggregationKindName(aggregation.kind))},
        {"value_type", counts ? ListingValue{} : Text(FieldTypeName(aggregation.value_type))},
        {"keys", FieldList(aggregation.key)},
        {"max_entries", Number(aggregation.key_size == 0 ? 1 : aggregation.max_entries)},
        {"source", Text(SourceLocation(metadata, aggregation.position))},
    }});
  }
}

void AddStoresAndGlobals(const Metadata& metadata, std::vector<ListingRecord>& out) {
  for (const StoreInfo& store : metadata.stores) {
    out.push_back({{
        {"kind", Text("store")},
        {"name", Text(store.map)},
        {"keys", FieldList(store.key)},
        {"max_entries", Number(store.max_entries)},
        {"source", Text(SourceLocation(metadata, store.position))},
    }});
  }
  for (const GlobalInfo& global : metadata.globals) {
    out.push_back({{
        {"kind", Text("global")},
        {"name", Text(global.name)},
        {"type", Text(FieldTypeName(global.type))},
    }});
  }
}

}  // namespace

std::vector<ListingRecord> ListObjectItems(const Metadata& metadata, bpf_object* object) {
  std::vector<ListingRecord> records;
  AddProbes(metadata, records);
  AddMaps(object, records);
  AddParameters(metadata, records);
  AddEvents(metadata, records);
  AddAggregations(metadata, records);
  AddStoresAndGlobals(metadata, records);
  return records;
}

ErrorOr<std::vector<ListingRecord>> ListObject(const std::string& path) {
  ErrorOr<ObjectSource> source = ReadObjectFile(path);
  if (!source) return source.TakeError();
  ErrorOr<ObjectFileInfo> info = InspectObject(*source);
  if (!info) return info.TakeError();
  if (!info->nubpf_section) return MissingMetadataError(path);
  ErrorOr<Metadata> metadata = ParseMetadata(*info->nubpf_section);
  if (!metadata) {
    Error error = metadata.TakeError();
    error.message = fmt::format("`{}`: {}", path, error.message);
    return error;
  }

  ClearLibbpfWarnings();
  bpf_object* object = OpenBpfObject(*source);
  if (object == nullptr) {
    int error_number = errno;
    Error error;
    error.message = fmt::format("libbpf cannot open `{}` as a BPF object: {}", path,
                                std::strerror(error_number));
    AddLibbpfWarnings(error);
    error.help = "rebuild the object with nubpfc; run with --verbose for libbpf's messages";
    return error;
  }
  std::vector<ListingRecord> records = ListObjectItems(*metadata, object);
  bpf_object__close(object);
  return records;
}

}  // namespace nubpf::runtime
