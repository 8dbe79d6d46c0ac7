// The `attach` and `fallback` lines of the `.nubpf` metadata.

#include <gtest/gtest.h>

#include <string>

#include "runtime/metadata.h"

namespace nubpf::runtime {
namespace {

// One program of each attach kind, as nubpfc writes them, with the
// fentry/kprobe pair of `bpf_probe kernel:function("vfs_read")`.
constexpr const char* kEveryKind =
    "nubpf\t2\n"
    "source\tall.nu\n"
    "program\tbegin\tbegin\t1\t1\n"
    "attach\tbegin\tbegin\n"
    "program\tend\tend\t2\t1\n"
    "attach\tend\tend\n"
    "program\tprofile_hz_99\tprofile:hz:99\t3\t1\n"
    "attach\tprofile_hz_99\tprofile\t99\t0\n"
    "program\tinterval_ms_100\tinterval:ms:100\t4\t1\n"
    "attach\tinterval_ms_100\tinterval\t0\t100000000\n"
    "program\treadline\tuprobe:/bin/bash:readline+4\t5\t1\n"
    "attach\treadline\tuprobe\t/bin/bash\treadline\t4\t0\n"
    "program\treadline_2\turetprobe:/bin/bash:readline\t6\t1\n"
    "attach\treadline_2\turetprobe\t/bin/bash\treadline\t0\t4096\n"
    "program\tat_offset\tuprobe:/opt/app:f\t7\t1\n"
    "attach\tat_offset\tuprobe\t/opt/app with space\t-\t18446744073709551615\t0\n"
    "program\tvfs_read\tfentry:vfs_read\t8\t1\n"
    "attach\tvfs_read\tsection\n"
    "fallback\tvfs_read\tvfs_read_2\n"
    "program\tvfs_read_2\tkprobe:vfs_read\t8\t1\n"
    "attach\tvfs_read_2\tsection\n";

// A version 2 section with programs `a`, `b` and `c` attached by section,
// to which a test appends its lines.
constexpr const char* kThreePrograms =
    "nubpf\t2\n"
    "program\ta\tfentry:a\t1\t1\n"
    "attach\ta\tsection\n"
    "program\tb\tkprobe:a\t1\t1\n"
    "attach\tb\tsection\n"
    "program\tc\tkprobe:c\t2\t1\n"
    "attach\tc\tsection\n";

// Returns the error message of parsing `text`, or "" when it parses.
std::string ParseError(const std::string& text) {
  ErrorOr<Metadata> metadata = ParseMetadata(text);
  if (metadata.ok()) {
    return "";
  }
  return metadata.error().message;
}

const ProgramInfo& Program(const Metadata& metadata, const char* function) {
  const ProgramInfo* program = metadata.FindProgram(function);
  EXPECT_NE(program, nullptr) << function;
  static const ProgramInfo kMissing;
  return program != nullptr ? *program : kMissing;
}

TEST(AttachMetadata, ParsesEveryKind) {
  ErrorOr<Metadata> metadata = ParseMetadata(kEveryKind);
  ASSERT_TRUE(metadata.ok()) << metadata.error().message;
  EXPECT_EQ(metadata->version, 2);

  EXPECT_EQ(Program(*metadata, "begin").attach.kind, AttachKind::kBegin);
  EXPECT_EQ(Program(*metadata, "end").attach.kind, AttachKind::kEnd);

  const AttachInfo& profile = Program(*metadata, "profile_hz_99").attach;
  EXPECT_EQ(profile.kind, AttachKind::kProfile);
  EXPECT_EQ(profile.frequency, 99u);
  EXPECT_EQ(profile.period_ns, 0u);

  const AttachInfo& interval = Program(*metadata, "interval_ms_100").attach;
  EXPECT_EQ(interval.kind, AttachKind::kInterval);
  EXPECT_EQ(interval.frequency, 0u);
  EXPECT_EQ(interval.period_ns, 100000000u);

  const AttachInfo& uprobe = Program(*metadata, "readline").attach;
  EXPECT_EQ(uprobe.kind, AttachKind::kUprobe);
  EXPECT_EQ(uprobe.path, "/bin/bash");
  EXPECT_EQ(uprobe.symbol, "readline");
  EXPECT_EQ(uprobe.offset, 4u);
  EXPECT_EQ(uprobe.semaphore, 0u);

  const AttachInfo& uretprobe = Program(*metadata, "readline_2").attach;
  EXPECT_EQ(uretprobe.kind, AttachKind::kUretprobe);
  EXPECT_EQ(uretprobe.semaphore, 4096u);

  const AttachInfo& at_offset = Program(*metadata, "at_offset").attach;
  EXPECT_EQ(at_offset.path, "/opt/app with space");
  EXPECT_EQ(at_offset.symbol, "");
  EXPECT_EQ(at_offset.offset, 18446744073709551615u);

  const ProgramInfo& fentry = Program(*metadata, "vfs_read");
  EXPECT_EQ(fentry.attach.kind, AttachKind::kSection);
  EXPECT_EQ(fentry.fallback, "vfs_read_2");
  EXPECT_EQ(fentry.fallback_for, "");
  const ProgramInfo& kprobe = Program(*metadata, "vfs_read_2");
  EXPECT_EQ(kprobe.fallback, "");
  EXPECT_EQ(kprobe.fallback_for, "vfs_read");
}

TEST(AttachMetadata, AcceptsAttachBeforeProgram) {
  ErrorOr<Metadata> metadata = ParseMetadata(
      "nubpf\t2\n"
      "attach\tp\tend\n"
      "program\tp\tend\t1\t1\n");
  ASSERT_TRUE(metadata.ok()) << metadata.error().message;
  EXPECT_EQ(metadata->programs[0].attach.kind, AttachKind::kEnd);
}

// Version 1 objects, written before `attach` lines, attach by section.
TEST(AttachMetadata, VersionOneAttachesBySection) {
  ErrorOr<Metadata> metadata = ParseMetadata(
      "nubpf\t1\n"
      "program\tp\ttracepoint:a:b\t1\t1\n");
  ASSERT_TRUE(metadata.ok()) << metadata.error().message;
  EXPECT_EQ(metadata->version, 1);
  EXPECT_EQ(metadata->programs[0].attach.kind, AttachKind::kSection);
}

TEST(AttachMetadata, VersionTwoNeedsAttachLines) {
  std::string error = ParseError(
      "nubpf\t2\n"
      "program\tp\ttracepoint:a:b\t1\t1\n");
  EXPECT_NE(error.find("program `p` has no `attach` line, which version 2 "
                       "gives every program"),
            std::string::npos)
      << error;
}

TEST(AttachMetadata, RejectsUnknownKind) {
  std::string error = ParseError(std::string(kThreePrograms) +
                                 "program\tu\tusdt:x\t3\t1\n"
                                 "attach\tu\tusdt\t/bin/x\n");
  EXPECT_NE(error.find("line 9"), std::string::npos) << error;
  EXPECT_NE(error.find("program `u` has unknown attach kind `usdt`; expected "
                       "one of section uprobe uretprobe profile interval "
                       "begin end"),
            std::string::npos)
      << error;
}

TEST(AttachMetadata, RejectsWrongValueCount) {
  const char* kCases[][2] = {
      {"attach\ta\n", "needs at least FUNCTION and KIND"},
      {"attach\ta\tsection\textra\n",
       "`attach` line needs 2 tab-separated values after its kind, found 3"},
      {"attach\ta\tuprobe\t/bin/x\tf\t0\n",
       "`attach` line needs 6 tab-separated values after its kind, found 5"},
      {"attach\ta\tprofile\t99\n",
       "`attach` line needs 4 tab-separated values after its kind, found 3"},
      {"attach\ta\tbegin\t1\n",
       "`attach` line needs 2 tab-separated values after its kind, found 3"},
      {"fallback\ta\n",
       "`fallback` line needs 2 tab-separated values after its kind, found 1"},
  };
  for (const auto& [line, expected] : kCases) {
    std::string error = ParseError(std::string("nubpf\t2\n") + line);
    EXPECT_NE(error.find("line 2"), std::string::npos) << line << error;
    EXPECT_NE(error.find(expected), std::string::npos) << line << error;
  }
}

TEST(AttachMetadata, RejectsInvalidUprobeValues) {
  const char* kCases[][2] = {
      {"attach\tu\tuprobe\t\tf\t0\t0\n", "program `u` has an empty uprobe PATH"},
      {"attach\tu\tuprobe\t/bin/x\t-\t0\t0\n",
       "the uprobe of program `u` has neither a SYMBOL nor a file OFFSET"},
      {"attach\tu\tuprobe\t/bin/x\tf\t0x10\t0\n",
       "uprobe OFFSET `0x10` is not a decimal number that fits in 64 bits"},
      {"attach\tu\turetprobe\t/bin/x\tf\t0\t-1\n",
       "uprobe SEMAPHORE `-1` is not a decimal number that fits in 64 bits"},
      {"attach\tu\tuprobe\t/bin/x\tf\t18446744073709551616\t0\n",
       "uprobe OFFSET `18446744073709551616` is not a decimal number"},
  };
  for (const auto& [line, expected] : kCases) {
    std::string error = ParseError(std::string("nubpf\t2\n") +
                                   "program\tu\tuprobe:/bin/x:f\t1\t1\n" + line);
    EXPECT_NE(error.find("line 3"), std::string::npos) << line << error;
    EXPECT_NE(error.find(expected), std::string::npos) << line << error;
  }
}

TEST(AttachMetadata, RejectsTimerWithoutOneRate) {
  const char* kCases[][2] = {
      {"attach\tt\tprofile\t0\t0\n", "found 0 and 0"},
      {"attach\tt\tinterval\t10\t1000\n", "found 10 and 1000"},
  };
  for (const auto& [line, expected] : kCases) {
    std::string error = ParseError(std::string("nubpf\t2\n") +
                                   "program\tt\tprofile:hz:1\t1\t1\n" + line);
    EXPECT_NE(error.find("program `t` needs exactly one of FREQUENCY and "
                         "PERIOD-NS above 0"),
              std::string::npos)
        << line << error;
    EXPECT_NE(error.find(expected), std::string::npos) << line << error;
  }
  EXPECT_NE(ParseError("nubpf\t2\nattach\tt\tprofile\tninety\t0\n")
                .find("FREQUENCY `ninety` is not a decimal number"),
            std::string::npos);
}

TEST(AttachMetadata, RejectsAttachForUnknownOrRepeatedProgram) {
  std::string error = ParseError(std::string(kThreePrograms) + "attach\tz\tbegin\n");
  EXPECT_NE(error.find("line 8: `attach` line for program `z`, which has no "
                       "`program` line"),
            std::string::npos)
      << error;

  error = ParseError(std::string(kThreePrograms) + "attach\tc\tend\n");
  EXPECT_NE(error.find("line 8: program `c` already has an `attach` line at "
                       "line 7"),
            std::string::npos)
      << error;
}

TEST(AttachMetadata, RejectsRepeatedProgramLine) {
  std::string error =
      ParseError(std::string(kThreePrograms) + "program\tc\tkprobe:d\t3\t1\n");
  EXPECT_NE(error.find("line 8: program `c` already has a `program` line at "
                       "line 6"),
            std::string::npos)
      << error;
}

TEST(AttachMetadata, RejectsInvalidFallbacks) {
  const char* kCases[][2] = {
      {"fallback\ta\tz\n", "`fallback` line for program `z`, which has no"},
      {"fallback\tz\ta\n", "`fallback` line for program `z`, which has no"},
      {"fallback\ta\ta\n", "program `a` is its own fallback"},
      {"fallback\ta\tb\nfallback\ta\tc\n",
       "programs `a` and `c` may each be in one fallback pair only"},
      {"fallback\ta\tb\nfallback\tb\tc\n",
       "programs `b` and `c` may each be in one fallback pair only"},
      {"fallback\ta\tb\nfallback\tc\tb\n",
       "programs `c` and `b` may each be in one fallback pair only"},
  };
  for (const auto& [lines, expected] : kCases) {
    std::string error = ParseError(std::string(kThreePrograms) + lines);
    EXPECT_NE(error.find(expected), std::string::npos) << lines << error;
  }

  std::string error = ParseError(
      "nubpf\t2\n"
      "program\ta\tfentry:a\t1\t1\n"
      "attach\ta\tsection\n"
      "program\tu\tuprobe:/bin/x:a\t1\t1\n"
      "attach\tu\tuprobe\t/bin/x\ta\t0\t0\n"
      "fallback\ta\tu\n");
  EXPECT_NE(error.find("line 6: a fallback pairs two programs attached by "
                       "`section`, but `a` is `section` and `u` is `uprobe`"),
            std::string::npos)
      << error;
}

}  // namespace
}  // namespace nubpf::runtime
