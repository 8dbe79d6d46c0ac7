// The errors of attaching and running probes that this machine's kernel
// and privileges may never produce, such as a perf event that
// perf_event_paranoid forbids, built from their errno directly.

#include "runtime/attach_errors.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#include "runtime/load_errors.h"

namespace nubpf::runtime {
namespace {

Metadata ProbeMetadata() {
  ErrorOr<Metadata> metadata = ParseMetadata(
      "nubpf\t2\n"
      "source\tprobes.nu\n"
      "program\tbegin\tbegin\t1\t1\n"
      "attach\tbegin\tbegin\n"
      "program\tprofile_hz_99\tprofile:hz:99\t2\t1\n"
      "attach\tprofile_hz_99\tprofile\t99\t0\n"
      "program\treadline\tuprobe:/bin/bash:readline\t3\t1\n"
      "attach\treadline\tuprobe\t/bin/bash\treadline\t0\t0\n"
      "program\tvfs_read\tfentry:vfs_read\t4\t1\n"
      "attach\tvfs_read\tsection\n");
  EXPECT_TRUE(metadata.ok()) << metadata.error().message;
  return *metadata;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(AttachErrors, PerfEventForbiddenNamesParanoid) {
  Metadata metadata = ProbeMetadata();
  Error error = PerfEventOpenError(metadata, "profile_hz_99",
                                   metadata.programs[1].attach, /*cpu=*/1, EACCES);
  EXPECT_EQ(error.error_number, EACCES);
  EXPECT_TRUE(Contains(error.message,
                       "cannot attach program `profile_hz_99` (the probe at "
                       "probes.nu:2:1): the kernel refused to open a CPU clock "
                       "perf event on CPU 1: Permission denied"))
      << error.message;
  EXPECT_TRUE(Contains(error.help, "/proc/sys/kernel/perf_event_paranoid is "))
      << error.help;
  EXPECT_TRUE(Contains(error.help, "need CAP_PERFMON (or CAP_SYS_ADMIN before "
                                   "Linux 5.8)"))
      << error.help;
}

TEST(AttachErrors, PerfEventMissingCpuClock) {
  Metadata metadata = ProbeMetadata();
  Error error = PerfEventOpenError(metadata, "profile_hz_99",
                                   metadata.programs[1].attach, /*cpu=*/0, ENODEV);
  EXPECT_TRUE(Contains(error.help, "no software CPU clock event on that CPU"))
      << error.help;
}

TEST(AttachErrors, UprobeFileMissingOrUnreadable) {
  Metadata metadata = ProbeMetadata();
  const AttachInfo& attach = metadata.programs[2].attach;

  Error missing = UprobeFileError(metadata, "readline", attach, ENOENT);
  EXPECT_TRUE(Contains(missing.message, "cannot attach program `readline` (the "
                                        "probe at probes.nu:3:1): file "
                                        "`/bin/bash` not found"))
      << missing.message;

  Error unreadable = UprobeFileError(metadata, "readline", attach, EACCES);
  EXPECT_TRUE(Contains(unreadable.message,
                       "cannot read file `/bin/bash`: Permission denied"))
      << unreadable.message;
}

TEST(AttachErrors, FentryRejectedHelpFitsKernel) {
  Error error = ProgramRejectedError(ProbeMetadata(), "vfs_read",
                                     "fentry/vfs_read", EPERM);
  EXPECT_EQ(error.message,
            "the kernel refused to load fentry program `vfs_read` (the probe "
            "at probes.nu:4:1): Operation not permitted");
  // The help offers a kprobe only where the kernel has kprobes.
  if (KprobesAvailable()) {
    EXPECT_TRUE(Contains(error.help, "probe the function with `kprobe:vfs_read` "
                                     "instead, or with `bpf_probe "
                                     "kernel:function(\"vfs_read\")`"))
        << error.help;
  } else {
    EXPECT_TRUE(Contains(error.help, "it has no kprobes either")) << error.help;
  }
}

TEST(AttachErrors, LoaderBlockRunAndReturn) {
  Metadata metadata = ProbeMetadata();
  Error run = LoaderBlockRunError(metadata, "begin", AttachKind::kBegin,
                                  kKernelEnotsupp);
  EXPECT_EQ(run.message,
            "cannot run the `begin` block, program `begin` (the probe at "
            "probes.nu:1:1): BPF_PROG_TEST_RUN failed: operation not "
            "supported by the kernel (ENOTSUPP)");
  EXPECT_TRUE(Contains(run.help, "Linux 5.10 or later")) << run.help;

  Error returned = LoaderBlockReturnError(metadata, "begin", AttachKind::kEnd, 7);
  EXPECT_TRUE(Contains(returned.message, "the `end` block, program `begin` (the "
                                         "probe at probes.nu:1:1), returned 7"))
      << returned.message;
}

}  // namespace
}  // namespace nubpf::runtime
