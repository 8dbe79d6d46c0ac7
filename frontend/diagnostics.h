// Diagnostics as data: each stage records what is wrong with a span into the
// source, and one of two renderers turns them into text.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "frontend/source.h"

namespace nubpf::frontend {

enum class Severity { kError, kWarning, kNote };

// A secondary location with its own message, such as "first defined here".
struct DiagnosticLabel {
  Span span;
  std::string message;
};

struct Diagnostic {
  Severity severity = Severity::kError;
  Span span;
  // One lowercase sentence that states what is wrong, code in backticks.
  std::string message;
  std::vector<DiagnosticLabel> labels;
  // The fix, printed as `help: ...` when not empty.
  std::string help;
};

// Collects the diagnostics of one compilation, in the order they were found.
class DiagnosticSink {
 public:
  Diagnostic& Error(Span span, std::string message, std::string help = "");
  Diagnostic& Warning(Span span, std::string message, std::string help = "");

  bool has_errors() const { return error_count_ > 0; }
  size_t error_count() const { return error_count_; }
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  // The diagnostic at `index`, for a stage that adds a label to what an
  // inner step reported.
  Diagnostic& At(size_t index) { return diagnostics_[index]; }

 private:
  std::vector<Diagnostic> diagnostics_;
  size_t error_count_ = 0;
};

struct RenderOptions {
  // ANSI colours for a terminal: `error` in bold red, `warning` in bold
  // yellow, `note` in bold green and `help` in bold cyan, the message in
  // bold, and each caret line in the colour of its severity.
  bool color = false;
};

// Renders `file:line:col: error: message`, the source line, a caret under
// the span, the labels and the help line: the form for terminals.
void RenderFramed(const SourceFile& file, const Diagnostic& diagnostic,
                  std::ostream& out, const RenderOptions& options = {});

// Renders one line per part (`file:line:col: error: message`, then one per
// label and help): the form for logs and golden files.
void RenderCompact(const SourceFile& file, const Diagnostic& diagnostic,
                   std::ostream& out);

}  // namespace nubpf::frontend
