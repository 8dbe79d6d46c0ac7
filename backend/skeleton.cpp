#include "backend/skeleton.h"

#include <cctype>
#include <set>
#include <sstream>

#include "backend/metadata_section.h"

namespace nubpf::backend {
namespace {

constexpr const char* kCppKeywords[] = {
    "alignas",   "alignof",  "and",       "asm",      "auto",     "bool",     "break",
    "case",      "catch",    "char",      "class",    "const",    "constexpr", "continue",
    "default",   "delete",   "do",        "double",   "else",     "enum",     "explicit",
    "export",    "extern",   "false",     "float",    "for",      "friend",   "goto",
    "if",        "inline",   "int",       "long",     "mutable",  "namespace", "new",
    "noexcept",  "not",      "nullptr",   "operator", "or",       "private",  "protected",
    "public",    "register", "return",    "short",    "signed",   "sizeof",   "static",
    "struct",    "switch",   "template",  "this",     "throw",    "true",     "try",
    "typedef",   "typeid",   "typename",  "union",    "unsigned", "using",    "virtual",
    "void",      "volatile", "while",     "xor"};

// Turns a name from the probe file into a C++ identifier: characters other
// than letters, digits and `_` become `_`, a leading digit gets a `v`
// before it, and a keyword gets a trailing `_`.
std::string Identifier(const std::string& name) {
  std::string identifier;
  for (char c : name) {
    identifier += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  }
  if (identifier.empty() || std::isdigit(static_cast<unsigned char>(identifier[0]))) {
    identifier = "v" + identifier;
  }
  for (const char* keyword : kCppKeywords) {
    if (identifier == keyword) return identifier + "_";
  }
  return identifier;
}

// `count_by_comm` becomes `CountByComm`, for the key struct's name.
std::string TypeIdentifier(const std::string& name) {
  std::string words = Identifier(name);
  std::string type;
  bool upper = true;
  for (char c : words) {
    if (c == '_') {
      upper = true;
      continue;
    }
    type += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return type.empty() ? "Value" : type;
}

// Returns the C++ type that the runtime's FieldValue variant uses for a
// value of each metadata type.
std::string CppValueType(const std::string& metadata_type) {
  if (metadata_type[0] == 'u') return "uint64_t";
  if (metadata_type[0] == 'i') return "int64_t";
  if (metadata_type == "bool") return "bool";
  if (metadata_type == "string") return "std::string";
  if (metadata_type == "duration") return "nubpf::runtime::Duration";
  if (metadata_type == "filesize") return "nubpf::runtime::FileSize";
  return "nubpf::runtime::StackTrace";
}

// `path/readsize.nu` becomes `readsize`.
std::string BaseName(const std::string& path) {
  std::string base = path.substr(path.rfind('/') + 1);
  if (base.size() > 3 && base.compare(base.size() - 3, 3, ".nu") == 0) {
    base.resize(base.size() - 3);
  }
  return base;
}

// Takes method names in order, adding `_2`, `_3` to one already taken, so
// that an aggregation and a global of one name both get a reader.
class MethodNames {
 public:
  std::string Take(const std::string& name) {
    std::string unique = name;
    for (int n = 2; !taken_.insert(unique).second; ++n) unique = name + "_" + std::to_string(n);
    return unique;
  }

 private:
  std::set<std::string> taken_{"Open", "Attach", "Poll", "Stop", "session"};
};

void WriteObjectBytes(std::string_view object, std::ostream& out) {
  out << "// The BPF object, as nubpfc wrote it.\n"
      << "inline constexpr unsigned char kObject[] = {";
  static const char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < object.size(); ++i) {
    out << (i % 16 == 0 ? "\n    " : " ");
    auto byte = static_cast<unsigned char>(object[i]);
    out << "0x" << kHex[byte >> 4] << kHex[byte & 15] << ',';
  }
  out << "\n};\n\n";
}

void WriteKeyStructs(const mir::Module& module, std::ostream& out) {
  for (const mir::Aggregation& aggregation : module.aggregations) {
    if (aggregation.key.empty()) continue;
    out << "// A key of aggregation `" << aggregation.name << "`.\n"
        << "struct " << TypeIdentifier(aggregation.name) << "Key {\n";
    for (const mir::KeyField& field : aggregation.key) {
      out << "  " << CppValueType(MetadataTypeName(field.type)) << ' ' << Identifier(field.name)
          << ";\n";
    }
    out << "};\n\n";
  }
}

// One setter per parameter, taking the C++ type of its Nushell type and
// passing its text to Session::SetParameter(), which checks it as
// nubpf-run checks a command-line value.
void WriteSetters(const mir::Module& module, MethodNames& names, std::ostream& out) {
  for (const mir::Parameter& parameter : module.parameters) {
    std::string type = MetadataTypeName(parameter.type, parameter.unit);
    std::string argument;
    std::string text;
    if (type == "bool") {
      argument = "bool value";
      text = "value ? \"true\" : \"false\"";
    } else if (type == "string") {
      argument = "std::string_view value";
      text = "value";
    } else if (type == "duration") {
      argument = "std::chrono::nanoseconds value";
      text = "std::to_string(value.count()) + \"ns\"";
    } else if (type == "filesize") {
      argument = "int64_t bytes";
      text = "std::to_string(bytes)";
      type = "filesize in bytes";
    } else {
      argument = "int64_t value";
      text = "std::to_string(value)";
      type = "int";
    }
    std::string method = names.Take("set_" + Identifier(parameter.variable));
    out << "  // `--" << parameter.name << "`: " << type << ", " << parameter.default_text
        << " by default. Only before Attach().\n"
        << "  std::optional<nubpf::runtime::Error> " << method << "(" << argument << ") {\n"
        << "    return session_->SetParameter(\"" << parameter.name << "\", " << text << ");\n"
        << "  }\n";
    // C++ turns a string literal into a true bool without a warning.
    if (type == "bool") {
      out << "  std::optional<nubpf::runtime::Error> " << method << "(const char*) = delete;\n";
    }
    out << "\n";
  }
}

void WriteAggregationReaders(const mir::Module& module, MethodNames& names, std::ostream& out) {
  for (const mir::Aggregation& aggregation : module.aggregations) {
    std::string method = names.Take("read_" + Identifier(aggregation.name));
    out << "  // The entries of aggregation `" << aggregation.name << "`, in map order.\n";
    if (aggregation.key.empty()) {
      out << "  nubpf::runtime::ErrorOr<nubpf::runtime::AggregationValue> " << method << "() {\n"
          << "    auto rows = nubpf::runtime::ReadAggregationByName(*session_, \"" << aggregation.name
          << "\");\n"
          << "    if (!rows) return rows.TakeError();\n"
          << "    if (rows->empty()) return nubpf::runtime::AggregationValue{};\n"
          << "    return std::move(rows->front().value);\n"
          << "  }\n\n";
      continue;
    }

    std::string entry = "nubpf::runtime::AggregationEntry<" + TypeIdentifier(aggregation.name) + "Key>";
    out << "  nubpf::runtime::ErrorOr<std::vector<" << entry << ">> " << method << "() {\n"
        << "    auto rows = nubpf::runtime::ReadAggregationByName(*session_, \"" << aggregation.name
        << "\");\n"
        << "    if (!rows) return rows.TakeError();\n"
        << "    std::vector<" << entry << "> entries;\n"
        << "    for (nubpf::runtime::DecodedAggregationRow& row : *rows) {\n"
        << "      entries.push_back({{";
    for (size_t i = 0; i < aggregation.key.size(); ++i) {
      out << (i == 0 ? "" : ", ") << "std::get<"
          << CppValueType(MetadataTypeName(aggregation.key[i].type)) << ">(std::move(row.key["
          << i << "]))";
    }
    out << "}, std::move(row.value)});\n"
        << "    }\n"
        << "    return entries;\n"
        << "  }\n\n";
  }
}

void WriteGlobalReaders(const mir::Module& module, MethodNames& names, std::ostream& out) {
  for (const mir::Global& global : module.globals) {
    std::string type = CppValueType(MetadataTypeName(global.type, global.unit));
    out << "  // Global `" << global.name << "`, as the probes last wrote it.\n"
        << "  nubpf::runtime::ErrorOr<" << type << "> " << names.Take("read_" + Identifier(global.name))
        << "() {\n"
        << "    auto value = nubpf::runtime::ReadGlobalByName(*session_, \"" << global.name << "\");\n"
        << "    if (!value) return value.TakeError();\n"
        << "    return std::get<" << type << ">(std::move(*value));\n"
        << "  }\n\n";
  }
}

}  // namespace

std::string BuildSkeleton(const mir::Module& module, std::string_view object,
                          const std::string& source_path) {
  std::string base = BaseName(source_path);
  std::ostringstream out;
  out << "// Generated by nubpfc from " << base << ".nu with --emit skeleton; do not edit.\n"
      << "//\n"
      << "// Embeds the BPF object and gives typed access to its parameters,\n"
      << "// aggregations and globals through the nubpf runtime library\n"
      << "// (runtime/session.h). Link the program with nubpf_runtime.\n"
      << "#pragma once\n\n"
      << "#include <chrono>\n#include <cstdint>\n#include <memory>\n#include <optional>\n"
      << "#include <string>\n#include <string_view>\n#include <utility>\n#include <variant>\n"
      << "#include <vector>\n\n"
      << "#include \"runtime/session.h\"\n#include \"runtime/skeleton_support.h\"\n\n"
      << "namespace " << Identifier(base) << "_probe {\n\n";

  WriteObjectBytes(object, out);
  WriteKeyStructs(module, out);

  out << "class Probe {\n"
      << " public:\n"
      << "  // Opens the embedded object; this needs no privileges.\n"
      << "  static nubpf::runtime::ErrorOr<std::unique_ptr<Probe>> Open(\n"
      << "      nubpf::runtime::SessionOptions options = {}) {\n"
      << "    auto session = nubpf::runtime::Session::OpenBuffer(\n"
      << "        \"" << base << ".nu\",\n"
      << "        std::string_view(reinterpret_cast<const char*>(kObject), sizeof(kObject)), options);\n"
      << "    if (!session) return session.TakeError();\n"
      << "    return std::unique_ptr<Probe>(new Probe(std::move(*session)));\n"
      << "  }\n\n";

  MethodNames names;
  WriteSetters(module, names, out);

  out << "  // Loads the programs, runs the `begin` blocks and attaches every probe.\n"
      << "  std::optional<nubpf::runtime::Error> Attach() { return session_->Attach(); }\n\n"
      << "  // Hands the records that arrive within `timeout` to `handler`.\n"
      << "  nubpf::runtime::ErrorOr<size_t> Poll(std::chrono::milliseconds timeout,\n"
      << "                                       const nubpf::runtime::EventHandler& handler) {\n"
      << "    return session_->Poll(timeout, handler);\n"
      << "  }\n\n"
      << "  // Detaches every probe, runs the `end` blocks and hands over the last records.\n"
      << "  std::optional<nubpf::runtime::Error> Stop(const nubpf::runtime::EventHandler& handler = {}) {\n"
      << "    return session_->Stop(handler);\n"
      << "  }\n\n";

  WriteAggregationReaders(module, names, out);
  WriteGlobalReaders(module, names, out);

  out << "  nubpf::runtime::Session& session() { return *session_; }\n\n"
      << " private:\n"
      << "  explicit Probe(std::unique_ptr<nubpf::runtime::Session> session)\n"
      << "      : session_(std::move(session)) {}\n\n"
      << "  std::unique_ptr<nubpf::runtime::Session> session_;\n"
      << "};\n\n"
      << "}  // namespace " << Identifier(base) << "_probe\n";
  return out.str();
}

}  // namespace nubpf::backend
