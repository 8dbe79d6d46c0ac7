// Every ```nu block in docs/language.md is a whole probe file that compiles
// and passes the kernel verifier.

#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "tests/support/markdown.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

TEST(LanguageDocBlocks, CompileAndLoad) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  std::ifstream in(SourcePath("docs/language.md"));
  std::stringstream doc;
  doc << in.rdbuf();
  std::vector<FencedBlock> blocks = ExtractFencedBlocks(doc.str(), "nu");
  ASSERT_FALSE(blocks.empty()) << "docs/language.md has no ```nu block";

  TempDir dir;
  for (const FencedBlock& block : blocks) {
    std::string name = "block" + std::to_string(block.first_line);
    std::string source = dir.File(name + ".nu");
    std::string object = dir.File(name + ".bpf.o");
    std::ofstream(source) << block.text;
    std::string where =
        "the block at docs/language.md:" + std::to_string(block.first_line);

    std::string errors = Compile(source, object);
    EXPECT_EQ(errors, "") << where;
    if (!errors.empty()) continue;
    RunResult run = RunToExit({NubpfRunPath(), object, "--duration", "200ms"});
    EXPECT_EQ(run.exit_code, 0) << where << ": " << run.err;
  }
}

}  // namespace
}  // namespace nubpf::testing
