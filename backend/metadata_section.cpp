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
  }
  return "?";
}

std::string BuildMetadata(const mir::Module& module,
                          const frontend::SourceFile& source) {
  std::ostringstream out;
  auto location = [&](frontend::Span span) {
    frontend::LineColumn at = source.Locate(span.begin);
    return std::to_string(at.line) + "\t" + std::to_string(at.column);
  };

  out << "nubpf\t" << kMetadataVersion << '\n';
  out << "source\t" << source.path() << '\n';
  for (const mir::Function& function : module.functions) {
    out << "program\t" << function.name << '\t' << function.target << '\t'
        << location(function.span) << '\n';
  }
  for (const mir::EventLayout& event : module.events) {
    out << "event\t" << event.id << '\t' << event.size << '\t'
        << event.function << '\t' << location(event.span) << '\n';
    for (const mir::EventField& field : event.fields) {
      out << "field\t" << event.id << '\t' << field.name << '\t'
          << TypeName(field.type) << '\t' << field.offset << '\t'
          << field.type.SizeInBytes() << '\n';
    }
  }
  for (const mir::Counter& counter : module.counters) {
    out << "counter\t" << counter.map_name << '\t' << counter.label << '\t'
        << location(counter.span) << '\t';
    if (counter.keyed) {
      out << counter.key_name << '\t' << TypeName(counter.key_type) << '\t'
          << counter.key_type.SizeInBytes() << '\n';
    } else {
      out << "-\t-\t0\n";
    }
  }
  return out.str();
}

}  // namespace nubpf::backend
