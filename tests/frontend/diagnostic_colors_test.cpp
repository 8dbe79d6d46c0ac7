// RenderFramed with colours on and off.

#include <sstream>

#include "frontend/diagnostics.h"
#include "frontend/source.h"
#include "gtest/gtest.h"

namespace nubpf::frontend {
namespace {

constexpr char kText[] = "probe tracepoint:a:b {|e|\n    emit {n: $e.nme}\n}\n";

// An error at `$e.nme` with a note at the probe target and a help line.
Diagnostic UnknownField(Severity severity) {
  Diagnostic diagnostic;
  diagnostic.severity = severity;
  diagnostic.span = {39, 45};
  diagnostic.message = "no field `nme`";
  diagnostic.labels.push_back({{6, 20}, "this tracepoint"});
  diagnostic.help = "did you mean `$e.name`?";
  return diagnostic;
}

std::string Render(const Diagnostic& diagnostic, bool color) {
  SourceFile file("probe.nu", kText);
  std::ostringstream out;
  RenderFramed(file, diagnostic, out, RenderOptions{color});
  return out.str();
}

TEST(DiagnosticColors, OffByDefault) {
  SourceFile file("probe.nu", kText);
  std::ostringstream out;
  RenderFramed(file, UnknownField(Severity::kError), out);
  EXPECT_EQ(out.str(),
            "probe.nu:2:14: error: no field `nme`\n"
            "   |\n"
            " 2 |     emit {n: $e.nme}\n"
            "   |              ^~~~~~\n"
            "probe.nu:1:7: note: this tracepoint\n"
            "   |\n"
            " 1 | probe tracepoint:a:b {|e|\n"
            "   |       ^~~~~~~~~~~~~~\n"
            "  = help: did you mean `$e.name`?\n");
  EXPECT_EQ(Render(UnknownField(Severity::kError), /*color=*/false), out.str());
}

TEST(DiagnosticColors, ErrorIsBoldRed) {
  EXPECT_EQ(Render(UnknownField(Severity::kError), /*color=*/true),
            "probe.nu:2:14: \x1b[1;31merror\x1b[0m: \x1b[1mno field `nme`\x1b[0m\n"
            "   |\n"
            " 2 |     emit {n: $e.nme}\n"
            "   |              \x1b[1;31m^~~~~~\x1b[0m\n"
            "probe.nu:1:7: \x1b[1;32mnote\x1b[0m: \x1b[1mthis tracepoint\x1b[0m\n"
            "   |\n"
            " 1 | probe tracepoint:a:b {|e|\n"
            "   |       \x1b[1;32m^~~~~~~~~~~~~~\x1b[0m\n"
            "  = \x1b[1;36mhelp\x1b[0m: did you mean `$e.name`?\n");
}

TEST(DiagnosticColors, WarningIsBoldYellow) {
  std::string rendered = Render(UnknownField(Severity::kWarning), /*color=*/true);
  EXPECT_NE(rendered.find(": \x1b[1;33mwarning\x1b[0m: \x1b[1mno field `nme`\x1b[0m\n"),
            std::string::npos)
      << rendered;
  EXPECT_NE(rendered.find("   |              \x1b[1;33m^~~~~~\x1b[0m\n"),
            std::string::npos)
      << rendered;
  EXPECT_EQ(rendered.find("\x1b[1;31m"), std::string::npos) << rendered;
}

}  // namespace
}  // namespace nubpf::frontend
