// Runs the built nubpf-run binary on files that need no kernel support and
// checks its exit codes and messages.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "tests/runtime/test_files.h"
#include "tests/support/subprocess.h"

namespace nubpf::runtime {
namespace {

struct RunResult {
  int exit_code = -1;
  // stdout and stderr together.
  std::string output;
};

// Runs the built nubpf-run with `arguments`, without a shell in between.
RunResult RunNubpf(const std::vector<std::string>& arguments) {
  std::vector<std::string> argv = {nubpf::testing::NubpfRunPath()};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  nubpf::testing::RunResult run = nubpf::testing::RunToExit(argv);
  return {run.exit_code, run.out + run.err};
}

class NubpfRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    struct stat status;
    ASSERT_EQ(stat(nubpf::testing::NubpfRunPath().c_str(), &status), 0)
        << nubpf::testing::NubpfRunPath()
        << " is missing; build the nubpf-run target first";
  }

  std::string Write(const std::string& name, const std::string& contents) {
    std::string path = dir_.File(name);
    testing::WriteFile(path, contents);
    return path;
  }

  nubpf::testing::TempDir dir_;
};

TEST_F(NubpfRunTest, HelpListsExitCodes) {
  RunResult result = RunNubpf({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.output.find("Exit status"), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("--duration"), std::string::npos);
}

TEST_F(NubpfRunTest, MissingObjectArgumentIsUsageError) {
  RunResult result = RunNubpf({});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("OBJECT is required"), std::string::npos)
      << result.output;
}

// A flag after the object may be one of its parameters, so an object that
// cannot be opened is reported first, as what to fix.
TEST_F(NubpfRunTest, MissingObjectBeforeUnknownFlag) {
  RunResult result = RunNubpf({"x.bpf.o", "--colour"});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("cannot open `x.bpf.o`"), std::string::npos) << result.output;
}

TEST_F(NubpfRunTest, BadDurationIsUsageError) {
  RunResult result = RunNubpf({"x.bpf.o", "--duration", "5parsecs"});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("invalid --duration `5parsecs`"),
            std::string::npos)
      << result.output;
}

TEST_F(NubpfRunTest, EmptyDurationIsUsageError) {
  RunResult result = RunNubpf({"x.bpf.o", "--duration", ""});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("invalid --duration ``"), std::string::npos)
      << result.output;
}

TEST_F(NubpfRunTest, BadFormatIsUsageError) {
  RunResult result = RunNubpf({"x.bpf.o", "--format", "yaml"});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("invalid --format `yaml`"), std::string::npos)
      << result.output;
}

TEST_F(NubpfRunTest, BadIntervalIsUsageError) {
  RunResult result = RunNubpf({"x.bpf.o", "--interval", "1.5s"});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("invalid --interval `1.5s`: fractions are not supported"),
            std::string::npos)
      << result.output;

  result = RunNubpf({"x.bpf.o", "--interval", "0ms"});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("the interval must be above 0"), std::string::npos)
      << result.output;
}

TEST_F(NubpfRunTest, ResetWithoutIntervalIsUsageError) {
  RunResult result = RunNubpf({"x.bpf.o", "--reset"});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("no --interval was given"), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("help: add `--interval 1s`"), std::string::npos)
      << result.output;
}

TEST_F(NubpfRunTest, MissingFile) {
  std::string path = dir_.File("missing.bpf.o");
  RunResult result = RunNubpf({path});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("nubpf-run: error: cannot open `" + path +
                               "`: no such file"),
            std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("help: "), std::string::npos) << result.output;
}

TEST_F(NubpfRunTest, NonElfFile) {
  std::string path = Write("probe.nu", "probe tracepoint:a:b {|e| count }\n");
  RunResult result = RunNubpf({path});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("`" + path + "`: not an ELF file"),
            std::string::npos)
      << result.output;
}

TEST_F(NubpfRunTest, ElfThatIsNotBpf) {
  RunResult result = RunNubpf({"/bin/true"});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("`/bin/true`: an ELF file for"),
            std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("not a BPF object"), std::string::npos)
      << result.output;
}

TEST_F(NubpfRunTest, BpfObjectWithoutMetadata) {
  std::string path = Write("plain.bpf.o", testing::BuildElf({}));
  RunResult result = RunNubpf({path});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("has no `.nubpf` section, so it was not made "
                               "by nubpfc"),
            std::string::npos)
      << result.output;
}

TEST_F(NubpfRunTest, InvalidMetadataNamesFileAndLine) {
  testing::ElfOptions options;
  options.nubpf_section = "nubpf\t1\nfield\t0\tpid\tu32\t8\n";
  std::string path = Write("bad.bpf.o", testing::BuildElf(options));
  RunResult result = RunNubpf({path});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("`" + path +
                               "`: invalid `.nubpf` metadata "
                               "at line 2"),
            std::string::npos)
      << result.output;
}

TEST_F(NubpfRunTest, UnsupportedMetadataVersion) {
  testing::ElfOptions options;
  options.nubpf_section = "nubpf\t7\n";
  std::string path = Write("v7.bpf.o", testing::BuildElf(options));
  RunResult result = RunNubpf({path});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("written by a newer nubpfc, whose `.nubpf` metadata is "
                               "version 7"),
            std::string::npos)
      << result.output;
}

TEST_F(NubpfRunTest, ListAndVerifyTogetherIsUsageError) {
  RunResult result = RunNubpf({"x.bpf.o", "--list", "--verify"});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("--list and --verify are given together"), std::string::npos)
      << result.output;
}

TEST_F(NubpfRunTest, RunFlagWithVerifyIsUsageError) {
  RunResult result = RunNubpf({"x.bpf.o", "--verify", "--duration", "1s"});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("--duration applies to a run, but --verify exits"),
            std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("help: leave out --duration or --verify"), std::string::npos)
      << result.output;
}

TEST_F(NubpfRunTest, HelpListsInspectionFlags) {
  RunResult result = RunNubpf({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  for (const char* flag : {"--list", "--verify", "--allow-missing", "--btf"}) {
    EXPECT_NE(result.output.find(flag), std::string::npos) << flag << "\n" << result.output;
  }
}

TEST_F(NubpfRunTest, ObjectLibbpfCannotOpen) {
  // Valid metadata, but no symbol table: libbpf rejects the object.
  testing::ElfOptions options;
  options.nubpf_section = "nubpf\t1\nsource\tx.nu\n";
  std::string path = Write("nosyms.bpf.o", testing::BuildElf(options));
  RunResult result = RunNubpf({path});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("libbpf cannot open `" + path + "`"),
            std::string::npos)
      << result.output;
}

}  // namespace
}  // namespace nubpf::runtime
