// Module files: `use helpers.nu *` imports the commands and constants of
// another `.nu` file, found next to the probe file or in a `-I` folder.
// Errors in a module point into the module.

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/getppid_child.h"
#include "tests/support/nushell.h"
#include "tests/support/probe_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr char kOpenatProbe[] =
    "probe tracepoint:syscalls:sys_enter_openat {|e| emit {n: (double $K)} }\n";

class Modules : public ::testing::Test {
 protected:
  // Writes `text` to `name` under the test's folder, making folders.
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_.File(name);
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
    return path;
  }

  RunResult CompileFile(const std::string& source, std::vector<std::string> flags = {}) {
    std::vector<std::string> argv{NubpfcPath(), source, "-o", dir_.File("probe.bpf.o")};
    argv.insert(argv.end(), flags.begin(), flags.end());
    return RunToExit(argv);
  }

  TempDir dir_;
};

TEST_F(Modules, CommandFromSameFolder) {
  Write("helpers.nu", "use nubpf *\nexport const K = 21\nexport def double [x: int] { $x * 2 }\n");
  std::string probe = Write("probe.nu", std::string("use nubpf *\nuse helpers.nu *\n") +
                                            kOpenatProbe);
  RunResult result = CompileFile(probe);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::filesystem::exists(dir_.File("probe.bpf.o")));
}

TEST_F(Modules, CommandFromIncludeFolder) {
  Write("lib/helpers.nu", "export const K = 21\nexport def double [x: int] { $x * 2 }\n");
  std::string probe = Write("probe.nu", std::string("use helpers.nu *\n") + kOpenatProbe);
  RunResult without = CompileFile(probe);
  EXPECT_EQ(without.exit_code, 1) << without.err;

  RunResult with = CompileFile(probe, {"-I", dir_.File("lib")});
  EXPECT_EQ(with.exit_code, 0) << with.err;
}

TEST_F(Modules, SameFolderComesBeforeIncludeFolder) {
  Write("helpers.nu", "export const K = 1\nexport def double [x: int] { $x * 2 }\n");
  Write("lib/helpers.nu", "export const K = 1\nexport def triple [x: int] { $x * 3 }\n");
  std::string probe = Write("probe.nu", std::string("use helpers.nu *\n") + kOpenatProbe);
  RunResult result = CompileFile(probe, {"-I", dir_.File("lib")});
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(Modules, MemberListNamesMissingMember) {
  Write("helpers.nu", "export const K = 1\nexport def double [x: int] { $x * 2 }\n");
  std::string probe =
      Write("probe.nu", std::string("use helpers.nu [double K]\n") + kOpenatProbe);
  EXPECT_EQ(CompileFile(probe).exit_code, 0);

  probe = Write("probe.nu", std::string("use helpers.nu [double half]\n") + kOpenatProbe);
  RunResult result = CompileFile(probe);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(probe + ":1:1: error: module `helpers.nu` exports no command or "
                                    "constant `half`"),
            std::string::npos)
      << result.err;
}

TEST_F(Modules, UseWithoutMembersIsNotSupported) {
  Write("helpers.nu", "export const K = 1\nexport def double [x: int] { $x * 2 }\n");
  std::string probe = Write("probe.nu", std::string("use helpers.nu\n") + kOpenatProbe);
  RunResult result = CompileFile(probe);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(probe + ":1:1: error: `use helpers.nu` without members is not "
                                    "supported yet"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("help: Nushell would name its commands `helpers NAME`; write "
                            "`use helpers.nu *`"),
            std::string::npos)
      << result.err;
}

TEST_F(Modules, MissingModuleNamesSearchedFolders) {
  std::string probe = Write("probes/probe.nu", std::string("use nubpf *\nuse nowhere.nu *\n") +
                                                   kOpenatProbe);
  RunResult result = CompileFile(probe, {"-I", "/tmp/nubpf-no-such-folder"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(probe + ":2:5: error: module file `nowhere.nu` not found"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(" 2 | use nowhere.nu *\n   |     ^~~~~~~~~~"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("help: searched `" + dir_.File("probes") +
                            "`, `/tmp/nubpf-no-such-folder`; pass `-I DIR`"),
            std::string::npos)
      << result.err;
}

// As in Nushell, a module's `def` without `export` serves the module's own
// commands, and `use` imports only what the module exports or, with a
// list, what the list names.
TEST_F(Modules, UnexportedCommandStaysPrivate) {
  std::string module = Write("helpers.nu",
                             "export const K = 1\n"
                             "def twice [x: int] { $x + $x }\n"
                             "export def double [x: int] { twice $x }\n");
  std::string probe = Write("probe.nu", std::string("use helpers.nu *\n") + kOpenatProbe);
  RunResult result = CompileFile(probe);
  EXPECT_EQ(result.exit_code, 0) << result.err;

  probe = Write("probe.nu", "use helpers.nu *\n"
                            "probe tracepoint:syscalls:sys_enter_openat {|e| emit {n: (twice 2)} }\n");
  result = CompileFile(probe);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(probe + ":2:59: error: command `twice` is not imported into this "
                                    "file"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(module + ":2:5: note: defined here"), std::string::npos)
      << result.err;

  probe = Write("probe.nu", "use helpers.nu [twice]\n" + std::string(kOpenatProbe));
  result = CompileFile(probe);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("module `helpers.nu` exports no command or constant `twice`"),
            std::string::npos)
      << result.err;
}

TEST_F(Modules, MemberListImportsOnlyNamedCommands) {
  Write("helpers.nu", "export const K = 1\n"
                      "export def double [x: int] { $x * 2 }\n"
                      "export def triple [x: int] { $x * 3 }\n");
  std::string probe = Write("probe.nu", "use helpers.nu [double K]\n"
                                        "probe tracepoint:syscalls:sys_enter_openat {|e| "
                                        "emit {n: (triple $K)} }\n");
  RunResult result = CompileFile(probe);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("command `triple` is not imported into this file"),
            std::string::npos)
      << result.err;
}

// A module's `use` serves the module: the probe file does not see what the
// module imported.
TEST_F(Modules, ImportsAreNotPassedOn) {
  Write("base.nu", "export def double [x: int] { $x * 2 }\n");
  Write("helpers.nu", "use base.nu *\nexport const K = 1\nexport def quad [x: int] { double (double $x) }\n");
  std::string probe = Write("probe.nu", "use helpers.nu *\n"
                                        "probe tracepoint:syscalls:sys_enter_openat {|e| "
                                        "emit {a: (quad $K), b: (double $K)} }\n");
  RunResult result = CompileFile(probe);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("command `double` is not imported into this file"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(result.err.find("`quad`"), std::string::npos) << result.err;
}

TEST_F(Modules, CycleIsAnError) {
  Write("a.nu", "use b.nu *\nexport def one [] { 1 }\n");
  Write("b.nu", "use a.nu *\nexport def two [] { 2 }\n");
  std::string probe = Write(
      "probe.nu", "use a.nu *\nprobe tracepoint:syscalls:sys_enter_openat {|e| emit {n: (one)} }\n");
  RunResult result = CompileFile(probe);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(dir_.File("b.nu") + ":1:5: error: module cycle: `" +
                            dir_.File("a.nu") + "` uses `" + dir_.File("b.nu") + "` uses `" +
                            dir_.File("a.nu") + "`"),
            std::string::npos)
      << result.err;
}

TEST_F(Modules, ModuleUsedTwiceLoadsOnce) {
  Write("base.nu", "export const K = 4\n");
  Write("left.nu", "use base.nu *\nexport def double [x: int] { $x * 2 }\n");
  Write("right.nu", "use base.nu *\nexport def triple [x: int] { $x * 3 }\n");
  std::string probe = Write("probe.nu",
                            "use left.nu *\nuse right.nu *\n"
                            "probe tracepoint:syscalls:sys_enter_openat {|e| "
                            "emit {n: (double (triple $K))} }\n");
  RunResult result = CompileFile(probe);
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(Modules, ProbeInModuleIsAnError) {
  std::string module = Write(
      "helpers.nu", "export const K = 1\n"
                    "probe tracepoint:syscalls:sys_enter_openat {|e| count }\n"
                    "mut total = 0\n"
                    "def main [] {}\n");
  std::string probe = Write("probe.nu", std::string("use helpers.nu *\n") + kOpenatProbe);
  RunResult result = CompileFile(probe);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(module + ":2:1: error: a module cannot contain probes"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(" 2 | probe tracepoint:syscalls:sys_enter_openat"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(module + ":3:1: error: a module cannot declare a top-level `mut`"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(module + ":4:5: error: a module cannot define `main`"),
            std::string::npos)
      << result.err;
}

TEST_F(Modules, ErrorInModulePointsIntoModule) {
  std::string module =
      Write("helpers.nu", "export const K = 1\n\nexport def double [x: int] { $x * \"two\" }\n");
  std::string probe = Write("probe.nu", std::string("use helpers.nu *\n") + kOpenatProbe);
  RunResult result = CompileFile(probe);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(module + ":3:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find(" 3 | export def double [x: int] { $x * \"two\" }"),
            std::string::npos)
      << result.err;
}

TEST_F(Modules, SyntaxErrorInModulePointsIntoModule) {
  std::string module = Write("helpers.nu", "export const K = 1\nexport def double [x: int] {\n");
  std::string probe = Write("probe.nu", std::string("use helpers.nu *\n") + kOpenatProbe);
  RunResult result = CompileFile(probe);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(module + ":"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find(probe + ":"), std::string::npos) << result.err;
}

TEST_F(Modules, CommandDefinedInFileAndModule) {
  std::string module = Write("helpers.nu", "export const K = 1\nexport def double [x: int] { $x * 2 }\n");
  std::string probe = Write("probe.nu", std::string("use helpers.nu *\n"
                                                    "def double [x: int] { $x + $x }\n") +
                                            kOpenatProbe);
  RunResult result = CompileFile(probe);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(probe + ":2:5: error: command `double` is also defined in a module"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(module + ":2:12: note: the module defines it here"),
            std::string::npos)
      << result.err;
}

// Nushell needs `export` to see a module's commands, and nubpfc reads the
// same files: both parsers accept the probe file and its module.
TEST_F(Modules, NushellParsesProbeAndModule) {
  if (NuPath().empty()) GTEST_FAIL() << kNuMissing;
  Write("helpers.nu", "use nubpf *\nexport const K = 21\nexport def double [x: int] { $x * 2 }\n");
  std::string probe = Write("probe.nu", std::string("use nubpf *\nuse helpers.nu *\n") +
                                            kOpenatProbe);
  RunResult nu = RunToExit({NuPath(), "-n", "--include-path", SourcePath("tools"),
                            "--ide-check", "100", probe});
  EXPECT_EQ(nu.exit_code, 0) << nu.err;
  EXPECT_EQ(nu.out.find("\"type\":\"diagnostic\""), std::string::npos) << nu.out;
  EXPECT_EQ(CompileFile(probe).exit_code, 0);
}

// A probe built from a file and two modules in a `-I` folder, loaded into
// the kernel: the commands and constants of both modules run in the probe.
TEST_F(Modules, ProbeFromTwoFilesRuns) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  std::string lib = dir_.File("lib");
  Write("lib/names.nu", "use nubpf *\n"
                        "export const COMM = \"nubpf-modules\"\n"
                        "export def name-length [ev: record] { $ev.comm | str length }\n");
  Write("lib/math.nu", "use nubpf *\n"
                       "export const K = 21\n"
                       "export def double [x: int] { $x * 2 }\n");
  // The probe text goes to RunProbeWithChild's own folder, so both modules
  // are found through `-I`.
  std::string text =
      "use nubpf *\n"
      "use names.nu *\n"
      "use math.nu [double K]\n"
      "probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
      "    if $e.comm == $COMM { emit {doubled: (double $K), length: (name-length $e)} }\n"
      "}\n";
  ProbeRun run = RunProbeWithChild(
      text, [] { return CallGetppidAs("nubpf-modules"); }, 1, {"-I", lib});
  ASSERT_EQ(run.error, "");
  ASSERT_EQ(run.lines.size(), 1u);
  nlohmann::json event = nlohmann::json::parse(run.lines[0]);
  EXPECT_EQ(event["doubled"], 42);
  EXPECT_EQ(event["length"], 13);
}

}  // namespace
}  // namespace nubpf::testing
