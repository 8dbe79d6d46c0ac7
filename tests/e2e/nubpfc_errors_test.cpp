// nubpfc on bad input: `file:line:col`, the source line with a caret, what
// is wrong, and a non-zero exit; never a crash.

#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

class NubpfcErrors : public ::testing::Test {
 protected:
  // Writes `text` to a probe file and compiles it into `output`.
  RunResult CompileTextTo(const std::string& text, const std::string& output) {
    path_ = dir_.File("probe.nu");
    std::ofstream(path_) << text;
    return RunToExit({NubpfcPath(), path_, "-o", output});
  }

  RunResult CompileText(const std::string& text) {
    return CompileTextTo(text, dir_.File("probe.bpf.o"));
  }

  TempDir dir_;
  std::string path_;
};

TEST_F(NubpfcErrors, SyntaxErrorHasLocationAndCaret) {
  RunResult result = CompileText(
      "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
      "    emit {pid: $e.pid,, comm: $e.comm}\n"
      "}\n");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(path_ + ":2:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("emit {pid: $e.pid,, comm: $e.comm}"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("^"), std::string::npos) << result.err;
}

TEST_F(NubpfcErrors, UnknownTracepointSuggestsNearest) {
  RunResult result = CompileText(
      "probe tracepoint:syscalls:sys_enter_opnat {|e| count }\n");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(path_ + ":1:7: error: tracepoint "
                            "`syscalls:sys_enter_opnat` not found on this kernel"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("tracepoint:syscalls:sys_enter_openat"),
            std::string::npos)
      << result.err;
}

TEST_F(NubpfcErrors, UnknownFieldSuggestsNearest) {
  RunResult result = CompileText(
      "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
      "    emit {file: $e.filenme}\n"
      "}\n");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(path_ + ":2:20: error: tracepoint "
                            "`syscalls:sys_enter_openat` has no field `filenme`"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("did you mean `$e.filename`?"), std::string::npos)
      << result.err;
}

TEST_F(NubpfcErrors, TypeMismatchNamesTypes) {
  RunResult result = CompileText(
      "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
      "    if $e.comm == 1 { count }\n"
      "}\n");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(path_ + ":2:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("string[16]"), std::string::npos) << result.err;
}

TEST_F(NubpfcErrors, ConditionMustBeBool) {
  RunResult result = CompileText(
      "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
      "    if $e.pid { count }\n"
      "}\n");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(path_ + ":2:8: error: expected a `bool`, found a `u32`"),
            std::string::npos)
      << result.err;
}

TEST_F(NubpfcErrors, UnknownProbeTypeIsReported) {
  RunResult result = CompileText("probe kprobes:do_sys_open {|e| count }\n");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("unknown probe type `kprobes`"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("did you mean `kprobe`?"), std::string::npos) << result.err;
}

// A bad `--btf` file is a usage error even when no probe reads kernel
// types, and the message gives libbpf's reason in words.
TEST_F(NubpfcErrors, BadBtfFileIsUsageError) {
  std::string not_btf = dir_.File("not.btf");
  std::ofstream(not_btf) << "not BTF\n";
  std::string source = dir_.File("probe.nu");
  std::ofstream(source) << "probe tracepoint:syscalls:sys_enter_getppid {|e| count }\n";
  RunResult result = RunToExit({NubpfcPath(), "--btf", not_btf, source, "-o", dir_.File("x.o")});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("nubpfc: --btf: cannot read kernel BTF from"), std::string::npos)
      << result.err;
  EXPECT_EQ(result.err.find("Unknown error"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("libbpf:"), std::string::npos) << result.err;
}

// A `--tracefs` folder without `events/` is named, instead of every
// tracepoint reading as missing.
TEST_F(NubpfcErrors, TracefsWithoutEventsIsNamed) {
  std::string source = dir_.File("probe.nu");
  std::ofstream(source) << "probe tracepoint:syscalls:sys_enter_getppid {|e| count }\n";
  RunResult result = RunToExit({NubpfcPath(), "--tracefs", dir_.path(), source, "-o",
                                dir_.File("x.o")});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("probe.nu:1:7: error: `--tracefs " + dir_.path() +
                            "` has no `events` folder"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("pass a tracefs root"), std::string::npos) << result.err;
}

TEST_F(NubpfcErrors, MissingFileExitsWithUsageError) {
  RunResult result = RunToExit({NubpfcPath(), dir_.File("absent.nu")});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("cannot open"), std::string::npos) << result.err;
}

TEST_F(NubpfcErrors, DirectoryIsUsageError) {
  RunResult result = RunToExit({NubpfcPath(), dir_.path()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("cannot read `" + dir_.path() + "`: it is a directory"),
            std::string::npos)
      << result.err;
}

TEST_F(NubpfcErrors, UnwritableOutputNamesCause) {
  std::string output = dir_.File("missing-folder/probe.bpf.o");
  RunResult result = CompileTextTo(
      "probe tracepoint:syscalls:sys_enter_openat {|e| count }\n", output);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("cannot write `" + output + "`: No such file or directory"),
            std::string::npos)
      << result.err;
}

TEST_F(NubpfcErrors, UnknownEmitStageListsStages) {
  RunResult result = RunToExit({NubpfcPath(), "probe.nu", "--emit", "bytecode"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--emit: bytecode not in {asm,ast,llvm,mir,obj,skeleton}"),
            std::string::npos)
      << result.err;
}

TEST_F(NubpfcErrors, WerrorFailsOnWarning) {
  path_ = dir_.File("probe.nu");
  std::ofstream(path_) << "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
                          "    if $e.comm == \"a-name-longer-than-comm\" { count }\n"
                          "}\n";
  std::string object = dir_.File("probe.bpf.o");

  RunResult lenient = RunToExit({NubpfcPath(), path_, "-o", object});
  EXPECT_EQ(lenient.exit_code, 0) << lenient.err;
  EXPECT_NE(lenient.err.find("warning: this comparison is always false"),
            std::string::npos)
      << lenient.err;

  RunResult strict = RunToExit({NubpfcPath(), path_, "-o", object, "--Werror"});
  EXPECT_EQ(strict.exit_code, 1) << strict.err;
}

TEST_F(NubpfcErrors, EmptyFileHasNoProbes) {
  RunResult result = CompileText("# nothing here\n");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("this file has no probes"), std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace nubpf::testing
