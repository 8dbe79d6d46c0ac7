// Nushell's own parser accepts our probe files: every sample, every ```nu
// block in docs/language.md and every golden input outside an `errors`
// folder passes `nu --ide-check` with the stub signatures of
// tools/nubpf/mod.nu. Samples and examples carry their own `use nubpf *`
// line; golden inputs are checked with the line added.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "tests/support/markdown.h"
#include "tests/support/nushell.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Checks one file of the source tree and returns its errors, if any.
std::string NushellErrorsIn(const std::string& relative) {
  std::string path = SourcePath(relative);
  if (!std::filesystem::exists(path)) return relative + ": file not found\n";
  return FormatNuErrors(CheckWithNushell(ReadFile(path), relative));
}

// The .nu files under `folder` in the source tree, sorted, relative to it.
std::vector<std::string> ProbeFilesUnder(const std::string& folder,
                                         bool skip_errors_folders) {
  std::vector<std::string> files;
  std::filesystem::path root = SourcePath("");
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(SourcePath(folder))) {
    if (!entry.is_regular_file() || entry.path().extension() != ".nu") continue;
    std::filesystem::path relative = entry.path().lexically_relative(root);
    bool in_errors = std::any_of(relative.begin(), relative.end(),
                                 [](const auto& part) { return part == "errors"; });
    if (skip_errors_folders && in_errors) continue;
    files.push_back(relative.string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(NushellCheck, SamplesPass) {
  ASSERT_FALSE(NuPath().empty()) << kNuMissing;
  std::vector<std::string> samples =
      ProbeFilesUnder("samples", /*skip_errors_folders=*/false);
  ASSERT_FALSE(samples.empty());

  for (const std::string& sample : samples) {
    EXPECT_EQ(NushellErrorsIn(sample), "") << "Nushell rejects " << sample;
  }
}

TEST(NushellCheck, LanguageDocBlocksPass) {
  ASSERT_FALSE(NuPath().empty()) << kNuMissing;
  std::string doc = ReadFile(SourcePath("docs/language.md"));
  std::vector<FencedBlock> blocks = ExtractFencedBlocks(doc, "nu");
  ASSERT_FALSE(blocks.empty()) << "docs/language.md has no ```nu block";

  for (const FencedBlock& block : blocks) {
    NuCheckResult result =
        CheckWithNushell(block.text, "docs/language.md", block.first_line);
    EXPECT_EQ(FormatNuErrors(result), "")
        << "Nushell rejects the block at docs/language.md:" << block.first_line;
  }
}

// Samples and examples begin with their own `use nubpf *` line, so that
// `nu --ide-check` and editors check them as they are, with nothing added.
TEST(NushellCheck, ExamplesBeginWithUseLine) {
  for (const std::string& sample :
       ProbeFilesUnder("samples", /*skip_errors_folders=*/false)) {
    EXPECT_EQ(ReadFile(SourcePath(sample)).rfind("use nubpf *\n", 0), 0u)
        << sample << " does not begin with `use nubpf *`";
  }
  std::string doc = ReadFile(SourcePath("docs/language.md"));
  for (const FencedBlock& block : ExtractFencedBlocks(doc, "nu")) {
    EXPECT_EQ(block.text.rfind("use nubpf *\n", 0), 0u)
        << "the block at docs/language.md:" << block.first_line
        << " does not begin with `use nubpf *`";
  }
}

// Golden inputs under an `errors` folder are meant to be wrong; all others
// are probe files that Nushell must read.
TEST(NushellCheck, GoldenInputsPass) {
  ASSERT_FALSE(NuPath().empty()) << kNuMissing;
  if (!std::filesystem::exists(SourcePath("tests/golden"))) {
    GTEST_SKIP() << "tests/golden does not exist";
  }

  for (const std::string& file :
       ProbeFilesUnder("tests/golden", /*skip_errors_folders=*/true)) {
    EXPECT_EQ(NushellErrorsIn(file), "") << "Nushell rejects " << file;
  }
}

// The check can fail: a wrong flag is reported at its line and column in
// the caller's numbering, whether or not the file has its own `use` line.
TEST(NushellCheck, ReportsErrorWhereItIs) {
  ASSERT_FALSE(NuPath().empty()) << kNuMissing;
  std::string body = "probe tracepoint:a:b {|e|\n    count --bogus\n}\n";

  NuCheckResult added = CheckWithNushell(body, "x.nu", /*first_line=*/10);
  EXPECT_EQ(FormatNuErrors(added),
            "x.nu:11:11: The `count` command doesn't have flag `bogus`.\n");

  NuCheckResult own = CheckWithNushell("use nubpf *\n" + body, "y.nu");
  EXPECT_EQ(FormatNuErrors(own),
            "y.nu:3:11: The `count` command doesn't have flag `bogus`.\n");
}

TEST(NushellCheck, ReportsWrongArgumentTypes) {
  ASSERT_FALSE(NuPath().empty()) << kNuMissing;
  NuCheckResult result = CheckWithNushell(
      "probe tracepoint:a:b {|e| emit 3 }\n"
      "probe tracepoint:a:b {|e| histogram \"many\" }\n"
      "probe tracepoint:a:b 3\n",
      "z.nu");
  EXPECT_EQ(FormatNuErrors(result),
            "z.nu:1:32: Parse mismatch: expected block, closure or record.\n"
            "z.nu:2:37: Parse mismatch: expected int.\n"
            "z.nu:3:22: Parse mismatch: expected block, closure or record.\n");
}

}  // namespace
}  // namespace nubpf::testing
