// Parse golden files: every tests/golden/parse/NAME.nu parses without errors
// into the AST dump in NAME.ast (`nubpfc --emit ast`).
#include <gtest/gtest.h>

#include <sstream>

#include "frontend/ast_printer.h"
#include "frontend/parser.h"
#include "tests/support/golden.h"

namespace nubpf::frontend {
namespace {

using nubpf::testing::ExpectGolden;
using nubpf::testing::GoldenFolder;
using nubpf::testing::ListGoldenCases;
using nubpf::testing::ReadGoldenFile;

class GoldenParse : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenParse, MatchesAstDump) {
  std::string base = GoldenFolder("parse") + "/" + GetParam();
  SourceFile file(GetParam() + ".nu", ReadGoldenFile(base + ".nu"));
  DiagnosticSink diagnostics;
  File ast;
  bool parsed = Parse(file, diagnostics, &ast);

  std::ostringstream rendered;
  for (const Diagnostic& diagnostic : diagnostics.diagnostics()) {
    RenderCompact(file, diagnostic, rendered);
  }
  EXPECT_TRUE(parsed) << rendered.str();
  EXPECT_EQ(rendered.str(), "");

  std::ostringstream dump;
  PrintAst(ast, dump);
  ExpectGolden(base + ".ast", dump.str());
}

INSTANTIATE_TEST_SUITE_P(
    Files, GoldenParse,
    ::testing::ValuesIn(ListGoldenCases(GoldenFolder("parse"))),
    [](const auto& info) { return info.param; });

}  // namespace
}  // namespace nubpf::frontend
