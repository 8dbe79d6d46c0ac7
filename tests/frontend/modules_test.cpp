// Module files in the frontend: `export def` and `export const`, the offsets
// that SourceFile gives a module, and diagnostics rendered in the module's
// file.

#include "frontend/modules.h"

#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "tests/frontend/parse_helpers.h"
#include "tests/support/subprocess.h"

namespace nubpf::frontend {
namespace {

TEST(ExportItems, ParseAsDefAndConst) {
  testing::ParseOutput output = testing::ParseText(
      "export const K = 3\nexport def double [x: int] { $x * 2 }\ndef twice [x: int] { $x + $x }\n");
  EXPECT_TRUE(output.ok) << output.compact;
  ASSERT_EQ(output.ast.constants.size(), 1u);
  EXPECT_EQ(output.ast.constants[0]->name, "K");
  ASSERT_EQ(output.ast.defs.size(), 2u);
  EXPECT_EQ(output.ast.defs[0].name, "double");
  EXPECT_TRUE(output.ast.defs[0].exported);
  EXPECT_EQ(output.ast.defs[1].name, "twice");
  EXPECT_FALSE(output.ast.defs[1].exported);
}

TEST(ExportItems, OtherItemIsAnError) {
  testing::ParseOutput output = testing::ParseText("export mut total = 0\n");
  EXPECT_FALSE(output.ok);
  EXPECT_NE(output.compact.find("probe.nu:1:1: error: `export` must be followed by `def` or "
                                "`const`"),
            std::string::npos)
      << output.compact;
}

TEST(SourceModules, OffsetsFollowThePreviousFile) {
  ::nubpf::testing::TempDir dir;
  std::ofstream(dir.File("helpers.nu")) << "export const K = 1\nexport def f [] { 2 }\n";
  SourceFile main("probe.nu", "use helpers.nu *\n");
  std::string error;
  const SourceFile* module = main.LoadModule(dir.File("helpers.nu"), &error);
  ASSERT_NE(module, nullptr) << error;

  uint32_t base = static_cast<uint32_t>(main.text().size()) + 1;
  EXPECT_EQ(module->base(), base);
  EXPECT_EQ(&main.FileAt(0), &main);
  EXPECT_EQ(&main.FileAt(base - 1), &main);
  EXPECT_EQ(&main.FileAt(base), module);

  // `def` on the module's second line, column 8.
  uint32_t def = base + 19 + 7;
  LineColumn at = main.Locate(def);
  EXPECT_EQ(at.line, 2u);
  EXPECT_EQ(at.column, 8u);
  EXPECT_EQ(main.Slice({def, def + 3}), "def");
}

TEST(SourceModules, DiagnosticNamesModuleFile) {
  ::nubpf::testing::TempDir dir;
  std::ofstream(dir.File("helpers.nu")) << "export def f [] {\n";
  SourceFile main("probe.nu", "use helpers.nu *\n");
  std::string error;
  const SourceFile* module = main.LoadModule(dir.File("helpers.nu"), &error);
  ASSERT_NE(module, nullptr) << error;

  DiagnosticSink diagnostics;
  File ast;
  EXPECT_FALSE(Parse(*module, diagnostics, &ast));
  ASSERT_FALSE(diagnostics.diagnostics().empty());
  std::ostringstream framed;
  RenderFramed(main, diagnostics.diagnostics()[0], framed);
  EXPECT_EQ(framed.str().rfind(dir.File("helpers.nu") + ":", 0), 0u) << framed.str();
  EXPECT_NE(framed.str().find(" 1 | export def f [] {"), std::string::npos) << framed.str();
}

TEST(LoadModules, ImportedItemsComeFirst) {
  ::nubpf::testing::TempDir dir;
  std::ofstream(dir.File("helpers.nu")) << "export const K = 1\nexport def f [] { $K }\n";
  std::string path = dir.File("probe.nu");
  SourceFile main(path, "use helpers.nu *\nconst L = $K\ndef g [] { f }\n");
  DiagnosticSink diagnostics;
  File ast;
  ASSERT_TRUE(Parse(main, diagnostics, &ast));
  InputFiles inputs;
  EXPECT_TRUE(LoadModules(main, {}, &inputs, diagnostics, &ast));

  ASSERT_EQ(ast.constants.size(), 2u);
  EXPECT_EQ(ast.constants[0]->name, "K");
  EXPECT_EQ(ast.constants[1]->name, "L");
  ASSERT_EQ(ast.defs.size(), 2u);
  EXPECT_EQ(ast.defs[0].name, "f");
  EXPECT_EQ(ast.defs[1].name, "g");
  EXPECT_EQ(inputs.paths(), std::vector<std::string>{dir.File("helpers.nu")});
}

}  // namespace
}  // namespace nubpf::frontend
