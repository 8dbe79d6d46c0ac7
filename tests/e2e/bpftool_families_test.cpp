// Objects whose probes nubpf-run attaches by their metadata (begin and end
// blocks, perf events, uprobes and USDT probes) stay loadable by any
// libbpf program: `bpftool prog loadall` loads and pins every program.

#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr char kTarget[] = NUBPF_UPROBE_TARGET;

// Mounts the BPF filesystem, where bpftool pins programs, when it is
// missing.
bool EnsureBpffs() {
  std::ifstream mounts("/proc/mounts");
  for (std::string line; std::getline(mounts, line);) {
    if (line.find(" /sys/fs/bpf bpf ") != std::string::npos) return true;
  }
  return mount("bpf", "/sys/fs/bpf", "bpf", 0, nullptr) == 0;
}

TEST(BpftoolFamilies, LoadsEveryProgram) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  ASSERT_TRUE(std::filesystem::exists("/usr/sbin/bpftool")) << "run tools/setup.sh";
  ASSERT_TRUE(EnsureBpffs());

  TempDir dir;
  std::string target(kTarget);
  std::string source = dir.File("families.nu");
  std::string object = dir.File("families.bpf.o");
  std::ofstream(source)
      << "probe begin {|| print \"begin\" }\n"
      << "probe end {|| print \"end\" }\n"
      << "probe profile:hz:99 {|e| count }\n"
      << "probe interval:ms:100 {|e| count }\n"
      << "probe uprobe:" << target << ":nubpf_test_add {|e| count }\n"
      << "probe uretprobe:" << target << ":nubpf_test_add {|e| count }\n"
      << "probe usdt:" << target << ":nubpf_test:constants {|e| count }\n"
      << "probe kprobe:vfs_read {|e| count }\n";
  ASSERT_EQ(Compile(source, object), "");

  std::string pin = "/sys/fs/bpf/nubpf-families-" + std::to_string(getpid());
  RunResult result = RunToExit({"/usr/sbin/bpftool", "prog", "loadall", object, pin});
  std::vector<std::string> missing;
  for (const char* name : {"begin", "end", "profile_hz_99", "interval_ms_100",
                           "nubpf_test_add", "nubpf_test_add_2",
                           "nubpf_test_constants", "vfs_read"}) {
    if (!std::filesystem::exists(pin + "/" + name)) missing.push_back(name);
  }
  std::error_code ignored;
  std::filesystem::remove_all(pin, ignored);

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(missing.empty()) << "not pinned: " << ::testing::PrintToString(missing)
                              << "\n" << result.err;
}

}  // namespace
}  // namespace nubpf::testing
