// The Make rule of `nubpfc -MD`, and the writes that put it and the object
// in place together.

#include "compiler/dependency_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/output_files.h"
#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace nubpf::compiler {
namespace {

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(DependencyFile, EscapesMakeSpecialCharacters) {
  EXPECT_EQ(EscapeMakePath("plain/probe.nu"), "plain/probe.nu");
  EXPECT_EQ(EscapeMakePath("my probes/a.nu"), "my\\ probes/a.nu");
  EXPECT_EQ(EscapeMakePath("cost$x.nu"), "cost$$x.nu");
  EXPECT_EQ(EscapeMakePath("issue#1.nu"), "issue\\#1.nu");
}

TEST(DependencyFile, OneInputPerContinuationLine) {
  EXPECT_EQ(FormatDependencyFile("probe.bpf.o", {"probe.nu", "lib/helpers.nu"}),
            "probe.bpf.o: \\\n  probe.nu \\\n  lib/helpers.nu\n");
  EXPECT_EQ(FormatDependencyFile("out dir/p.o", {}), "out\\ dir/p.o:\n");
}

TEST(DependencyFile, PhonyRulesForInputsButFirst) {
  EXPECT_EQ(FormatDependencyFile("p.o", {"p.nu", "lib/a b.nu", "x$.nu"}, /*phony_inputs=*/true),
            "p.o: \\\n  p.nu \\\n  lib/a\\ b.nu \\\n  x$$.nu\n"
            "\nlib/a\\ b.nu:\n"
            "\nx$$.nu:\n");
}

TEST(OutputFiles, WritesAllAndLeavesNoTemporaries) {
  testing::TempDir dir;
  std::string error;
  ASSERT_TRUE(WriteOutputFiles({{dir.File("probe.bpf.o.d"), "rule\n"},
                                {dir.File("probe.bpf.o"), "object"}},
                               &error))
      << error;
  EXPECT_EQ(ReadText(dir.File("probe.bpf.o.d")), "rule\n");
  EXPECT_EQ(ReadText(dir.File("probe.bpf.o")), "object");

  size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    ++files;
  }
  EXPECT_EQ(files, 2u);
}

TEST(OutputFiles, ReplacesAnOldObjectWhole) {
  testing::TempDir dir;
  std::ofstream(dir.File("probe.bpf.o")) << "an older and longer object";
  std::string error;
  ASSERT_TRUE(WriteOutputFiles({{dir.File("probe.bpf.o"), "new"}}, &error)) << error;
  EXPECT_EQ(ReadText(dir.File("probe.bpf.o")), "new");
}

TEST(OutputFiles, MissingFolderFailsWithoutWritingOthers) {
  testing::TempDir dir;
  std::string error;
  EXPECT_FALSE(WriteOutputFiles({{dir.File("probe.bpf.o.d"), "rule\n"},
                                 {dir.File("missing/probe.bpf.o"), "object"}},
                                &error));
  EXPECT_NE(error.find("missing/probe.bpf.o"), std::string::npos) << error;
  EXPECT_FALSE(std::filesystem::exists(dir.File("probe.bpf.o.d")));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

}  // namespace
}  // namespace nubpf::compiler
