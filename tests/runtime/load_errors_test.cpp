#include "runtime/load_errors.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#include "runtime/tracefs.h"

namespace nubpf::runtime {
namespace {

Metadata ProbeMetadata() {
  ErrorOr<Metadata> metadata = ParseMetadata(
      "nubpf\t1\n"
      "source\tsamples/opensnoop.nu\n"
      "program\tsys_enter_openat\ttracepoint:syscalls:sys_enter_"
      "openat\t4\t1\n");
  EXPECT_TRUE(metadata.ok());
  return *metadata;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(LogTailTest, KeepsLastNonEmptyLines) {
  EXPECT_EQ(LogTail("a\nb\n\nc\nd\n", 3),
            (std::vector<std::string>{"b", "c", "d"}));
  EXPECT_EQ(LogTail("only", 20), std::vector<std::string>{"only"});
  EXPECT_TRUE(LogTail("", 20).empty());
}

TEST(ProbeLocationTest, UsesProgramLine) {
  Metadata metadata = ProbeMetadata();
  EXPECT_EQ(ProbeLocation(metadata, "sys_enter_openat"),
            "samples/opensnoop.nu:4:1");
  EXPECT_EQ(ProbeLocation(metadata, "other"), "");
}

TEST(VerifierErrorTest, NamesProgramSourceAndLogTail) {
  std::string log;
  for (int i = 1; i <= 30; ++i) {
    log += "line " + std::to_string(i) + "\n";
  }
  log += "R0 invalid mem access 'map_value_or_null'\n";

  Error error =
      VerifierError("open.bpf.o", ProbeMetadata(), "sys_enter_openat", log);
  EXPECT_TRUE(Contains(error.message,
                       "verifier rejected program "
                       "`sys_enter_openat`"))
      << error.message;
  EXPECT_TRUE(Contains(error.message, "samples/opensnoop.nu:4:1"))
      << error.message;
  EXPECT_TRUE(Contains(error.message, "open.bpf.o")) << error.message;

  // A heading, then the last 20 lines, ending with the reason.
  ASSERT_EQ(error.details.size(), 1 + kVerifierLogTailLines);
  EXPECT_EQ(error.details[1], "line 12");
  EXPECT_EQ(error.details.back(), "R0 invalid mem access 'map_value_or_null'");
  EXPECT_EQ(error.exit_code, ExitCode::kLoadFailed);
}

TEST(PrivilegeErrorTest, NamesTheCapabilities) {
  Error error = PrivilegeError("open.bpf.o", "load", EPERM, {"CAP_BPF", "CAP_PERFMON"});
  EXPECT_TRUE(Contains(error.message,
                       "loading BPF programs needs root or CAP_BPF and "
                       "CAP_PERFMON"))
      << error.message;
  EXPECT_TRUE(Contains(error.message, "`open.bpf.o`")) << error.message;
  ASSERT_FALSE(error.details.empty());
  EXPECT_EQ(error.details[0],
            "this process lacks CAP_BPF and CAP_PERFMON in its effective capability set");
  EXPECT_TRUE(Contains(error.help, "setcap cap_bpf,cap_perfmon+ep")) << error.help;
}

TEST(PrivilegeErrorTest, CapabilitiesPresentPointsElsewhere) {
  Error error = PrivilegeError("open.bpf.o", "load", EPERM, {});
  ASSERT_FALSE(error.details.empty());
  EXPECT_TRUE(Contains(error.details[0], "this process has those capabilities"))
      << error.details[0];
}

TEST(AttachErrorTest, MissingTracepoint) {
  Error error = AttachError(ProbeMetadata(), "sys_enter_openat",
                            "tracepoint/syscalls/sys_enter_openat", ENOENT);
  EXPECT_TRUE(Contains(error.message, "program `sys_enter_openat`"))
      << error.message;
  EXPECT_TRUE(Contains(error.message, "samples/opensnoop.nu:4:1"))
      << error.message;
  // Which message appears depends on whether this host has tracefs.
  if (TracefsMounted()) {
    EXPECT_TRUE(Contains(error.message,
                         "tracepoint syscalls:sys_enter_openat not found on "
                         "this kernel"))
        << error.message;
    EXPECT_EQ(error.help, "list them in /sys/kernel/tracing/events");
  } else {
    EXPECT_TRUE(Contains(error.message, "tracefs is not mounted"))
        << error.message;
  }
}

TEST(AttachErrorTest, OtherErrorsNameSection) {
  Error error = AttachError(ProbeMetadata(), "sys_enter_openat",
                            "tracepoint/syscalls/sys_enter_openat", EINVAL);
  EXPECT_TRUE(Contains(error.message,
                       "to `tracepoint/syscalls/sys_enter_openat`: Invalid "
                       "argument"))
      << error.message;
}

TEST(MissingMetadataErrorTest, SaysNotMadeByNubpfc) {
  Error error = MissingMetadataError("x.bpf.o");
  EXPECT_TRUE(Contains(error.message, "`x.bpf.o` has no `.nubpf` section"))
      << error.message;
  EXPECT_TRUE(Contains(error.message, "not made by nubpfc")) << error.message;
}

}  // namespace
}  // namespace nubpf::runtime
