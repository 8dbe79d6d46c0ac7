#include "backend/metadata_section.h"

#include <sstream>

namespace nubpf::backend {

static std::string TypeName(const mir::Type& type) {
  switch (type.kind) {
    case mir::TypeKind::kBool:
      return "bool";
    case mir::TypeKind::kInt:
      return type.ToString();
    case mir::TypeKind::kString:
      return "string";
    case mir::TypeKind::kStack:
      return type.stack == mir::StackKind::kKernel ? "kstack" : "ustack";
    case mir::TypeKind::kPointer:
      return "u64";
  }
  return "?";
}

std::string MetadataTypeName(const mir::Type& type, mir::Unit unit) {
  switch (unit) {
    case mir::Unit::kDuration:
      return "duration";
    case mir::Unit::kFileSize:
      return "filesize";
    case mir::Unit::kNone:
      break;
  }
  return TypeName(type);
}

static std::string FieldTypeName(const mir::EventField& field) {
  return MetadataTypeName(field.type, field.unit);
}

// The `print` template: `{N}` for field N, doubled braces for literal ones,
// and backslash escapes, so that the line contains no tab or newline.
static std::string PrintTemplate(const mir::EventLayout& event) {
  std::string text;
  for (const mir::PrintPart& part : event.print_parts) {
    if (part.field >= 0) {
      text += "{" + std::to_string(part.field) + "}";
      continue;
    }
    for (char c : part.text) {
      switch (c) {
        case '{':
          text += "{{";
          break;
        case '}':
          text += "}}";
          break;
        case '\\':
          text += "\\\\";
          break;
        case '\t':
          text += "\\t";
          break;
        case '\n':
          text += "\\n";
          break;
        default:
          text += c;
      }
    }
  }
  return text;
}

static const char* AttachKindName(mir::AttachKind kind) {
  switch (kind) {
    case mir::AttachKind::kSection:
      return "section";
    case mir::AttachKind::kUprobe:
      return "uprobe";
    case mir::AttachKind::kUretprobe:
      return "uretprobe";
    case mir::AttachKind::kProfile:
      return "profile";
    case mir::AttachKind::kInterval:
      return "interval";
    case mir::AttachKind::kBegin:
      return "begin";
    case mir::AttachKind::kEnd:
      return "end";
  }
  return "?";
}

// The `attach` line of `function`, with the values its kind needs. A
// uprobe without a symbol writes `-`, and its offset is a file offset.
static std::string AttachLine(const mir::Function& function) {
  const mir::Attach& attach = function.attach;
  std::string line =
      "attach\t" + function.name + "\t" + AttachKindName(attach.kind);
  switch (attach.kind) {
    case mir::AttachKind::kSection:
    case mir::AttachKind::kBegin:
    case mir::AttachKind::kEnd:
      break;
    case mir::AttachKind::kUprobe:
    case mir::AttachKind::kUretprobe:
      line += "\t" + attach.path + "\t" +
              (attach.symbol.empty() ? "-" : attach.symbol) + "\t" +
              std::to_string(attach.offset) + "\t" +
              std::to_string(attach.semaphore);
      break;
    case mir::AttachKind::kProfile:
    case mir::AttachKind::kInterval:
      line += "\t" + std::to_string(attach.frequency) + "\t" +
              std::to_string(attach.period_ns);
      break;
  }
  return line;
}

// The VALUE-TYPE of an `aggregation` line: `-` for a count, else the
// value's type as a field would spell it.
static std::string AggregationValueType(const mir::Aggregation& aggregation) {
  if (aggregation.kind == mir::AggregationKind::kCount) return "-";
  return MetadataTypeName(mir::Type::Int(64, true), aggregation.unit);
}

// The `aggregation` line, then a `key` line per key field and, for a
// linear histogram, its `linear` line.
static std::string AggregationLines(const mir::Aggregation& aggregation,
                                    const std::string& location) {
  std::ostringstream out;
  out << "aggregation\t" << aggregation.name << '\t'
      << mir::AggregationKindName(aggregation.kind) << '\t' << location << '\t'
      << AggregationValueType(aggregation) << '\t' << aggregation.key_size << '\t'
      << (aggregation.key.empty() ? 1 : aggregation.max_entries) << '\t'
      << (aggregation.drop_slot < 0 ? "-" : std::to_string(aggregation.drop_slot)) << '\n';
  for (const mir::KeyField& field : aggregation.key) {
    out << "key\t" << aggregation.name << '\t' << field.name << '\t'
        << TypeName(field.type) << '\t' << field.offset << '\t' << field.type.SizeInBytes()
        << '\n';
  }
  if (aggregation.kind == mir::AggregationKind::kLinear) {
    out << "linear\t" << aggregation.name << '\t' << aggregation.linear_min << '\t'
        << aggregation.linear_max << '\t' << aggregation.linear_step << '\n';
  }
  return out.str();
}

std::string BuildMetadata(const mir::Module& module, const std::string& path,
                          const frontend::SourceFile& source) {
  std::ostringstream out;
  // TODO: a span in a module file gives that file's line and column, but
  // the metadata names only the probe file. A `file` column would tell them
  // apart, once the loader reads one.
  auto location = [&](frontend::Span span) {
    frontend::LineColumn at = source.Locate(span.begin);
    return std::to_string(at.line) + "\t" + std::to_string(at.column);
  };

  out << "nubpf\t" << kMetadataVersion << '\n';
  out << "source\t" << path << '\n';
  out << "nubpfc\t" << NUBPF_RELEASE << '\n';
  for (const mir::Function& function : module.functions) {
    out << "program\t" << function.name << '\t' << function.target << '\t'
        << location(function.span) << '\n';
    out << AttachLine(function) << '\n';
    if (!function.attach.fallback.empty()) {
      out << "fallback\t" << function.name << '\t' << function.attach.fallback
          << '\n';
    }
  }
  for (const mir::EventLayout& event : module.events) {
    out << "event\t" << event.id << '\t' << event.size << '\t'
        << event.function << '\t' << location(event.span) << '\n';
    for (const mir::EventField& field : event.fields) {
      out << "field\t" << event.id << '\t' << field.name << '\t'
          << FieldTypeName(field) << '\t' << field.offset << '\t'
          << field.type.SizeInBytes() << '\n';
    }
    if (event.is_print) {
      out << "print\t" << event.id << '\t' << PrintTemplate(event) << '\n';
    }
  }
  for (const mir::Aggregation& aggregation : module.aggregations) {
    out << AggregationLines(aggregation, location(aggregation.span));
  }
  for (const mir::Store& store : module.stores) {
    out << "store\t" << store.name << '\t' << location(store.span) << '\t'
        << store.key_size << '\t' << store.max_entries << '\t' << store.drop_slot << '\t'
        << store.ValueSize() << '\n';
    for (const mir::KeyField& field : store.key) {
      out << "key\t" << store.name << '\t' << field.name << '\t' << TypeName(field.type)
          << '\t' << field.offset << '\t' << field.type.SizeInBytes() << '\n';
    }
  }
  for (const mir::Global& global : module.globals) {
    out << "global\t" << global.name << '\t' << MetadataTypeName(global.type, global.unit)
        << '\t' << global.offset << '\t' << global.type.SizeInBytes() << '\n';
  }
  for (const mir::Parameter& parameter : module.parameters) {
    out << "param\t" << parameter.name << '\t'
        << MetadataTypeName(parameter.type, parameter.unit) << '\t' << parameter.offset << '\t'
        << parameter.type.SizeInBytes() << '\t' << parameter.default_text << '\n';
  }
  return out.str();
}

}  // namespace nubpf::backend
