// Stacks pass the verifier in every probe family, at the smallest and the
// largest depth and at -O0 and -O2: `bpftool prog loadall` loads each
// program, including those of families this machine cannot attach.

#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

// Mounts the BPF filesystem, where bpftool pins programs, when it is
// missing.
bool EnsureBpffs() {
  std::ifstream mounts("/proc/mounts");
  for (std::string line; std::getline(mounts, line);) {
    if (line.find(" /sys/fs/bpf bpf ") != std::string::npos) return true;
  }
  return mount("bpf", "/sys/fs/bpf", "bpf", 0, nullptr) == 0;
}

// Each family emits both stacks and counts by one. In a loop and in a
// `def`, and through `let`, each use reads its stack again. At depth 7 a
// key fits on the BPF stack; deeper ones go to the scratch map.
std::string ProbeFile(const std::string& target) {
  std::string body =
      " {|e| emit {k: $e.kstack, u: $e.ustack}; $e.kstack | count; $e.ustack | count }\n";
  return "def send-stack [s] { emit {stack: $s} }\n"
         "probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
         "    let kernel = $e.kstack\n"
         "    for i in 0..<3 { if $i == 1 { $kernel | count }; emit {i: $i, u: $e.ustack} }\n"
         "    send-stack $kernel\n"
         "    $e.ustack | count\n"
         "}\n"
         "probe raw_tracepoint:sys_enter" + body +
         "probe tp_btf:sys_enter" + body +
         "probe kprobe:vfs_read" + body +
         "probe kretprobe:vfs_read" + body +
         "probe uprobe:" + target + ":nubpf_test_add" + body +
         "probe uretprobe:" + target + ":nubpf_test_add" + body +
         "probe usdt:" + target + ":nubpf_test:constants" + body +
         "probe profile:hz:99" + body +
         "probe interval:ms:100" + body +
         "probe begin" + body +
         "probe end" + body;
}

TEST(StacksLoad, EveryFamilyAtEveryDepth) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  ASSERT_TRUE(std::filesystem::exists("/usr/sbin/bpftool")) << "run tools/setup.sh";
  ASSERT_TRUE(EnsureBpffs());

  TempDir dir;
  std::string source = dir.File("stacks.nu");
  std::ofstream(source) << ProbeFile(NUBPF_UPROBE_TARGET);
  for (const char* level : {"0", "2"}) {
    for (const char* depth : {"1", "7", "32", "127"}) {
      SCOPED_TRACE(std::string("-O") + level + " --stack-depth " + depth);
      std::string object = dir.File(std::string("stacks-") + level + "-" + depth + ".bpf.o");
      RunResult compiled =
          RunToExit({NubpfcPath(), source, "-o", object, "-O", level, "--stack-depth", depth});
      ASSERT_EQ(compiled.exit_code, 0) << compiled.err;

      std::string pin = "/sys/fs/bpf/nubpf-stacks-" + std::to_string(getpid());
      RunResult loaded = RunToExit({"/usr/sbin/bpftool", "prog", "loadall", object, pin});
      size_t pinned = 0;
      std::error_code ignored;
      for (const auto& entry : std::filesystem::directory_iterator(pin, ignored)) {
        (void)entry;
        ++pinned;
      }
      std::filesystem::remove_all(pin, ignored);
      EXPECT_EQ(loaded.exit_code, 0) << loaded.err;
      EXPECT_EQ(pinned, 12u) << loaded.err;
    }
  }
}

}  // namespace
}  // namespace nubpf::testing
