#include "frontend/diagnostics.h"

#include <algorithm>

namespace nubpf::frontend {

Diagnostic& DiagnosticSink::Error(Span span, std::string message,
                                  std::string help) {
  ++error_count_;
  diagnostics_.push_back(
      {Severity::kError, span, std::move(message), {}, std::move(help)});
  return diagnostics_.back();
}

Diagnostic& DiagnosticSink::Warning(Span span, std::string message,
                                    std::string help) {
  diagnostics_.push_back(
      {Severity::kWarning, span, std::move(message), {}, std::move(help)});
  return diagnostics_.back();
}

static const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

static void PrintLocation(const SourceFile& file, Span span,
                          std::ostream& out) {
  LineColumn at = file.Locate(span.begin);
  out << file.path() << ':' << at.line << ':' << at.column;
}

// Prints the line that contains `span`, and under it a caret at the start of the
// span with `~` for the rest of it (cut at the end of the line).
static void PrintSnippet(const SourceFile& file, Span span,
                         const std::string& message, std::ostream& out) {
  LineColumn at = file.Locate(span.begin);
  std::string_view line = file.LineText(at.line);
  std::string number = std::to_string(at.line);
  std::string gutter(number.size(), ' ');

  out << ' ' << gutter << " |\n";
  out << ' ' << number << " | " << line << '\n';

  // Tabs in the source line are kept in the marker line so the caret lines up.
  std::string marker;
  for (uint32_t i = 0; i + 1 < at.column && i < line.size(); ++i) {
    marker += line[i] == '\t' ? '\t' : ' ';
  }
  uint32_t rest = static_cast<uint32_t>(line.size()) - (at.column - 1);
  uint32_t width = std::min(span.end > span.begin ? span.end - span.begin : 1u,
                            std::max(rest, 1u));
  marker += '^';
  marker += std::string(width - 1, '~');
  out << ' ' << gutter << " | " << marker;
  if (!message.empty()) out << ' ' << message;
  out << '\n';
}

void RenderFramed(const SourceFile& file, const Diagnostic& diagnostic,
                  std::ostream& out) {
  PrintLocation(file, diagnostic.span, out);
  out << ": " << SeverityName(diagnostic.severity) << ": " << diagnostic.message
      << '\n';
  PrintSnippet(file, diagnostic.span, "", out);

  for (const DiagnosticLabel& label : diagnostic.labels) {
    PrintLocation(file, label.span, out);
    out << ": note: " << label.message << '\n';
    PrintSnippet(file, label.span, "", out);
  }
  if (!diagnostic.help.empty()) out << "  = help: " << diagnostic.help << '\n';
}

void RenderCompact(const SourceFile& file, const Diagnostic& diagnostic,
                   std::ostream& out) {
  PrintLocation(file, diagnostic.span, out);
  out << ": " << SeverityName(diagnostic.severity) << ": " << diagnostic.message
      << '\n';
  for (const DiagnosticLabel& label : diagnostic.labels) {
    PrintLocation(file, label.span, out);
    out << ": note: " << label.message << '\n';
  }
  if (!diagnostic.help.empty()) {
    PrintLocation(file, diagnostic.span, out);
    out << ": help: " << diagnostic.help << '\n';
  }
}

}  // namespace nubpf::frontend
