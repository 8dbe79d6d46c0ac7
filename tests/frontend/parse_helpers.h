// Helpers for frontend tests: parse a text and return what the parser made
// and reported, as text that tests compare.
#pragma once

#include <sstream>
#include <string>

#include "frontend/ast_printer.h"
#include "frontend/diagnostics.h"
#include "frontend/parser.h"
#include "frontend/source.h"

namespace nubpf::frontend::testing {

struct ParseOutput {
  bool ok = false;
  File ast;
  // PrintAst of `ast`.
  std::string dump;
  // Every diagnostic, rendered with RenderCompact.
  std::string compact;
  // Every diagnostic, rendered with RenderFramed.
  std::string framed;
  int errors = 0;
  int warnings = 0;
};

inline ParseOutput ParseText(const std::string& text) {
  SourceFile file("probe.nu", text);
  DiagnosticSink diagnostics;
  ParseOutput output;
  output.ok = Parse(file, diagnostics, &output.ast);

  std::ostringstream dump;
  PrintAst(output.ast, dump);
  output.dump = dump.str();

  std::ostringstream compact;
  std::ostringstream framed;
  for (const Diagnostic& diagnostic : diagnostics.diagnostics()) {
    RenderCompact(file, diagnostic, compact);
    RenderFramed(file, diagnostic, framed);
    if (diagnostic.severity == Severity::kError) ++output.errors;
    if (diagnostic.severity == Severity::kWarning) ++output.warnings;
  }
  output.compact = compact.str();
  output.framed = framed.str();
  return output;
}

// Parses `body` as the statements of one probe and returns the dump of its
// statements, without the `probe` line and one level less indented.
inline std::string DumpBody(const std::string& body,
                            std::string* errors = nullptr) {
  ParseOutput output =
      ParseText("probe tracepoint:a:b {|e|\n" + body + "\n}\n");
  if (errors) *errors = output.compact;
  std::string dump = output.dump;
  size_t newline = dump.find('\n');
  if (newline == std::string::npos) return "";
  std::string result;
  std::istringstream lines(dump.substr(newline + 1));
  std::string line;
  while (std::getline(lines, line)) {
    result += (line.size() >= 2 ? line.substr(2) : line) + "\n";
  }
  return result;
}

}  // namespace nubpf::frontend::testing
