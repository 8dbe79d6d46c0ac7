// What nubpfc accepts, the kernel loads: every probe file of the test
// corpus that nubpfc compiles passes the verifier under `nubpf-run
// --verify`, which loads every program without attaching. The MIR golden
// inputs, the parse golden inputs, the API fixture and the README's probe
// examples are checked here. A golden input that nubpfc rejects here
// passes with a note that gives nubpfc's error. samples_load_test.cpp runs the samples and
// docs_examples_test.cpp the ```nu blocks of docs/language.md.
//
// fentry and fexit programs get EPERM from some kernels before the
// verifier runs. For a file whose load fails for that reason alone, the
// test checks what nubpf-run reports instead: the refused program, its
// `.nu` line and a help line. kprobe programs load without kprobe events,
// which only attaching needs, so they are verified.

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

struct CorpusFile {
  // The test's name: the folder and file, as `golden_mir_maps`.
  std::string name;
  // The path of the probe file, relative to the source tree, and the
  // text to compile when it is a block of a Markdown file.
  std::string path;
  std::string text;
  // Why nubpfc may reject the file, which the test then notes and does
  // not load; empty when the file must compile.
  std::string may_not_compile;
};

// Names the file in gtest's listing and messages.
void PrintTo(const CorpusFile& file, std::ostream* out) { *out << file.path; }

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string TestName(std::string text) {
  for (char& c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return text;
}

// The `.nu` files of `folder`, sorted.
std::vector<CorpusFile> FolderFiles(const std::string& folder,
                                    const std::string& may_not_compile) {
  std::vector<CorpusFile> files;
  for (const auto& entry : std::filesystem::directory_iterator(SourcePath(folder))) {
    if (entry.path().extension() != ".nu") continue;
    std::string relative = folder + "/" + entry.path().filename().string();
    files.push_back({TestName(folder + "/" + entry.path().stem().string()), relative, "",
                     may_not_compile});
  }
  std::sort(files.begin(), files.end(),
            [](const CorpusFile& a, const CorpusFile& b) { return a.name < b.name; });
  return files;
}

// The README's indented code blocks that are probe files: those whose
// first line starts a probe or imports the nubpf module. Named by the
// README line where each starts.
std::vector<CorpusFile> ReadmeExamples() {
  std::vector<CorpusFile> files;
  std::istringstream readme(ReadText(SourcePath("README.md")));
  std::string line;
  std::string block;
  int block_line = 0;
  int number = 0;
  bool previous_blank = true;
  auto finish_block = [&]() {
    bool probe_file = block.rfind("use nubpf", 0) == 0 || block.rfind("probe ", 0) == 0;
    if (probe_file) {
      files.push_back({"README_md_line_" + std::to_string(block_line),
                       "README.md:" + std::to_string(block_line), block, ""});
    }
    block.clear();
  };
  while (std::getline(readme, line)) {
    ++number;
    bool indented = line.rfind("    ", 0) == 0;
    if (indented && (previous_blank || !block.empty())) {
      if (block.empty()) block_line = number;
      block += line.substr(4) + "\n";
    } else if (!line.empty() && !block.empty()) {
      finish_block();
    }
    previous_blank = line.empty();
  }
  if (!block.empty()) finish_block();
  return files;
}

std::vector<CorpusFile> CorpusFiles() {
  std::vector<CorpusFile> files = FolderFiles(
      "tests/golden/mir",
      "a MIR golden input, which the compiler tests compile against their own fake kernel "
      "BTF, and which may read kernel struct members that this kernel lacks");
  for (CorpusFile& file :
       FolderFiles("tests/golden/parse", "a parse golden input, which needs only to parse")) {
    files.push_back(std::move(file));
  }
  for (CorpusFile& file : FolderFiles("tests/api/fixtures", /*may_not_compile=*/"")) {
    files.push_back(std::move(file));
  }
  for (CorpusFile& file : ReadmeExamples()) files.push_back(std::move(file));
  return files;
}

// The programs of `object` that are fentry or fexit programs, from
// `nubpf-run --list`.
std::vector<std::string> FentryPrograms(const std::string& object) {
  RunResult listed = RunToExit({NubpfRunPath(), "--list", object, "--format", "json"});
  std::vector<std::string> programs;
  std::istringstream lines(listed.out);
  std::string line;
  while (std::getline(lines, line)) {
    nlohmann::json record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!record.is_object() || record.value("kind", "") != "probe") continue;
    std::string family = record.value("family", "");
    if (family == "fentry" || family == "fexit") programs.push_back(record.value("target", ""));
  }
  return programs;
}

class CorpusLoads : public ::testing::TestWithParam<CorpusFile> {};

TEST_P(CorpusLoads, PassesVerifier) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  const CorpusFile& file = GetParam();
  TempDir dir;
  std::string source = SourcePath(file.path);
  if (!file.text.empty()) {
    source = dir.File("example.nu");
    std::ofstream(source) << file.text;
  }
  std::string object = dir.File("probe.bpf.o");

  std::string errors = Compile(source, object);
  // A rejected input is not a program nubpfc accepts, so there is nothing
  // to load. The test's output prints a note for it.
  if (!errors.empty() && !file.may_not_compile.empty()) {
    std::cout << "not loaded: nubpfc rejects " << file.path << ", " << file.may_not_compile
              << ":\n"
              << errors;
    return;
  }
  ASSERT_EQ(errors, "") << file.path;

  RunResult result = RunToExit({NubpfRunPath(), "--verify", object});
  if (result.exit_code == 0) return;

  // A kernel that rejects fentry outright returns EPERM, and there is no
  // verifier log. Every other failure is a bug.
  std::vector<std::string> fentry = FentryPrograms(object);
  bool fentry_rejected = !fentry.empty() &&
                         result.err.find("Operation not permitted") != std::string::npos &&
                         result.err.find("verifier log") == std::string::npos;
  if (fentry_rejected) {
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_NE(result.err.find("the kernel refused to load f"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find(file.path), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("help: fentry and fexit programs need BPF trampolines"),
              std::string::npos)
        << result.err;
    std::cout << "not loaded: this kernel refuses the fentry and fexit programs of "
              << file.path << " (EPERM), and nubpf-run reports it:\n"
              << result.err;
    return;
  }
  FAIL() << file.path << " compiles but does not load:\n" << result.err;
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusLoads, ::testing::ValuesIn(CorpusFiles()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace nubpf::testing
