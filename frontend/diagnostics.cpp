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

// SGR escape sequences of the framed form's colours.
constexpr char kReset[] = "\x1b[0m";
constexpr char kBold[] = "\x1b[1m";
constexpr char kBoldGreen[] = "\x1b[1;32m";
constexpr char kBoldCyan[] = "\x1b[1;36m";

static const char* SeverityColor(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "\x1b[1;31m";
    case Severity::kWarning:
      return "\x1b[1;33m";
    case Severity::kNote:
      return kBoldGreen;
  }
  return kBold;
}

// Returns `text` between `sgr` and a reset when `color` is on, else `text`.
static std::string Paint(std::string_view text, const char* sgr, bool color) {
  if (!color) return std::string(text);
  return sgr + std::string(text) + kReset;
}

// `sources` is the main file; a span in a module is printed with the
// module's path.
static void PrintLocation(const SourceFile& sources, Span span,
                          std::ostream& out) {
  LineColumn at = sources.Locate(span.begin);
  out << sources.FileAt(span.begin).path() << ':' << at.line << ':' << at.column;
}

// Prints the line that contains `span`, and under it a caret at the start of the
// span with `~` for the rest of it (cut at the end of the line), painted with
// `caret_sgr` when it is not null.
static void PrintSnippet(const SourceFile& sources, Span span,
                         const std::string& message, const char* caret_sgr,
                         std::ostream& out) {
  const SourceFile& file = sources.FileAt(span.begin);
  LineColumn at = file.Locate(span.begin);
  std::string_view line = file.LineText(at.line);
  std::string number = std::to_string(at.line);
  std::string gutter(number.size(), ' ');

  out << ' ' << gutter << " |\n";
  out << ' ' << number << " | " << line << '\n';

  // Tabs in the source line are kept in the marker line so the caret lines up.
  std::string indent;
  for (uint32_t i = 0; i + 1 < at.column && i < line.size(); ++i) {
    indent += line[i] == '\t' ? '\t' : ' ';
  }
  uint32_t rest = static_cast<uint32_t>(line.size()) - (at.column - 1);
  uint32_t width = std::min(span.end > span.begin ? span.end - span.begin : 1u,
                            std::max(rest, 1u));
  std::string marker = '^' + std::string(width - 1, '~');
  if (!message.empty()) marker += ' ' + message;
  out << ' ' << gutter << " | " << indent
      << Paint(marker, caret_sgr, caret_sgr != nullptr) << '\n';
}

void RenderFramed(const SourceFile& file, const Diagnostic& diagnostic,
                  std::ostream& out, const RenderOptions& options) {
  bool color = options.color;
  const char* severity_sgr = SeverityColor(diagnostic.severity);
  PrintLocation(file, diagnostic.span, out);
  out << ": " << Paint(SeverityName(diagnostic.severity), severity_sgr, color)
      << ": " << Paint(diagnostic.message, kBold, color) << '\n';
  PrintSnippet(file, diagnostic.span, "", color ? severity_sgr : nullptr, out);

  for (const DiagnosticLabel& label : diagnostic.labels) {
    PrintLocation(file, label.span, out);
    out << ": " << Paint("note", kBoldGreen, color) << ": "
        << Paint(label.message, kBold, color) << '\n';
    PrintSnippet(file, label.span, "", color ? kBoldGreen : nullptr, out);
  }
  if (!diagnostic.help.empty()) {
    out << "  = " << Paint("help", kBoldCyan, color) << ": " << diagnostic.help
        << '\n';
  }
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
