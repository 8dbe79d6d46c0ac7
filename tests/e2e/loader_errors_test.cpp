// nubpf-run's errors for objects that cannot run here, and other libbpf
// tools loading nubpfc's objects.

#include <sys/mount.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "tests/support/llvm_ir.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

// A tracepoint format for a tracepoint no kernel has, so the object
// compiles but cannot attach.
void WriteAbsentTracepoint(const std::string& tracefs_root) {
  std::string folder = tracefs_root + "/events/syscalls/sys_enter_nubpf_absent";
  std::filesystem::create_directories(folder);
  std::ofstream(folder + "/format")
      << "name: sys_enter_nubpf_absent\nID: 1\nformat:\n"
      << "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
      << "\tfield:long ret;\toffset:16;\tsize:8;\tsigned:1;\n";
}

TEST(LoaderErrors, TracepointMissingOnKernel) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  WriteAbsentTracepoint(dir.File("tracefs"));
  std::string source = dir.File("absent.nu");
  std::ofstream(source) << "probe tracepoint:syscalls:sys_enter_nubpf_absent {|e| count }\n";
  std::string object = dir.File("absent.bpf.o");
  RunResult compiled = RunToExit(
      {NubpfcPath(), source, "--tracefs", dir.File("tracefs"), "-o", object});
  ASSERT_EQ(compiled.exit_code, 0) << compiled.err;

  RunResult result = RunToExit({NubpfRunPath(), object});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("cannot attach program `sys_enter_nubpf_absent`"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(source + ":1:1"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("tracepoint syscalls:sys_enter_nubpf_absent not "
                            "found on this kernel"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("--allow-missing"), std::string::npos) << result.err;
}

TEST(LoaderErrors, ProbeSourceIsNotElf) {
  std::string source = SourcePath("samples/opensnoop.nu");
  RunResult result = RunToExit({NubpfRunPath(), source});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("cannot open `" + source + "`"), std::string::npos)
      << result.err;
}

TEST(LoaderErrors, UnprivilegedUserIsTold) {
  if (!CanLoadBpf()) GTEST_SKIP() << "dropping privileges needs root first";
  ASSERT_TRUE(std::filesystem::exists("/usr/bin/setpriv")) << "util-linux is missing";
  TempDir dir;
  std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_all |
                                               std::filesystem::perms::others_read |
                                               std::filesystem::perms::others_exec);
  std::string object = dir.File("opensnoop.bpf.o");
  ASSERT_EQ(Compile(SourcePath("samples/opensnoop.nu"), object), "");
  std::filesystem::permissions(object, std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);

  // A copy of the loader, because user 65534 (`nobody`) may not have
  // access to the build folder.
  std::string loader = dir.File("nubpf-run");
  std::filesystem::copy_file(NubpfRunPath(), loader);

  // User and group 65534, with no capabilities to inherit.
  RunResult result =
      RunToExit({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                 "--clear-groups", "--inh-caps=-all", loader, object});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("loading BPF programs needs root or CAP_BPF and "
                            "CAP_PERFMON"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("this process lacks CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("help: run nubpf-run as root"), std::string::npos) << result.err;
}

// Without capabilities the fentry program fails as its kprobe fallback
// would, so the error is about privileges, not about the fallback.
TEST(LoaderErrors, UnprivilegedFallbackIsTold) {
  if (!CanLoadBpf()) GTEST_SKIP() << "dropping privileges needs root first";
  ASSERT_TRUE(std::filesystem::exists("/usr/bin/setpriv")) << "util-linux is missing";
  TempDir dir;
  std::filesystem::permissions(dir.path(), std::filesystem::perms::others_read |
                                               std::filesystem::perms::others_exec,
                               std::filesystem::perm_options::add);
  std::string source = dir.File("function.nu");
  std::ofstream(source) << "bpf_probe kernel:function(\"vfs_read\") {|e| count }\n";
  std::string object = dir.File("function.bpf.o");
  ASSERT_EQ(Compile(source, object), "");
  std::filesystem::permissions(object, std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  std::string loader = dir.File("nubpf-run");
  std::filesystem::copy_file(NubpfRunPath(), loader);

  RunResult result =
      RunToExit({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                 "--clear-groups", "--inh-caps=-all", loader, "--verify", object});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("this process lacks CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN"),
            std::string::npos)
      << result.err;
}

// Returns the version on the first line of a `.nubpf` section, `nubpf\tN`.
int MetadataVersion(const std::string& section) {
  size_t tab = section.find('\t');
  size_t newline = section.find('\n');
  if (section.rfind("nubpf\t", 0) != 0 || newline == std::string::npos) return -1;
  return std::stoi(section.substr(tab + 1, newline - tab - 1));
}

// An object of a nubpfc newer than this nubpf-run: its metadata version
// is one above the one this build's nubpfc writes, read from the object.
TEST(LoaderErrors, NewerMetadataVersionIsNamed) {
  TempDir dir;
  std::string object = dir.File("opensnoop.bpf.o");
  ASSERT_EQ(Compile(SourcePath("samples/opensnoop.nu"), object), "");
  std::string section_path = dir.File("nubpf.txt");
  RunResult dumped = RunToExit(
      {LlvmToolPath("llvm-objcopy"), "--dump-section", ".nubpf=" + section_path, object});
  ASSERT_EQ(dumped.exit_code, 0) << dumped.err;
  std::stringstream section;
  section << std::ifstream(section_path).rdbuf();
  int version = MetadataVersion(section.str());
  ASSERT_GT(version, 0) << section.str();

  std::string bumped = section.str();
  std::string newer = std::to_string(version + 1);
  bumped.replace(bumped.find('\t') + 1, std::to_string(version).size(), newer);
  std::ofstream(section_path, std::ios::binary) << bumped;
  RunResult updated = RunToExit(
      {LlvmToolPath("llvm-objcopy"), "--update-section", ".nubpf=" + section_path, object});
  ASSERT_EQ(updated.exit_code, 0) << updated.err;

  for (const char* mode : {"--list", "--verify"}) {
    RunResult result = RunToExit({NubpfRunPath(), mode, object});
    EXPECT_EQ(result.exit_code, 2) << mode;
    EXPECT_NE(result.err.find("written by a newer nubpfc (" NUBPF_RELEASE "), whose `.nubpf` "
                              "metadata is version " + newer),
              std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("this nubpf-run (" NUBPF_RELEASE ") reads versions 1 to " +
                              std::to_string(version)),
              std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("help: upgrade nubpf-run to the release of the nubpfc that "
                              "built the object (" NUBPF_RELEASE "), or rebuild the object "
                              "from its .nu file with the nubpfc that comes with this "
                              "nubpf-run"),
              std::string::npos)
        << result.err;
  }
}

// bpftool pins programs in the BPF filesystem; this mounts it when it is
// missing. A second mount of bpffs on the same folder is harmless.
bool EnsureBpffs() {
  std::ifstream mounts("/proc/mounts");
  std::string line;
  while (std::getline(mounts, line)) {
    if (line.find(" /sys/fs/bpf bpf ") != std::string::npos) return true;
  }
  return mount("bpf", "/sys/fs/bpf", "bpf", 0, nullptr) == 0;
}

TEST(LoaderErrors, BpftoolLoadsEveryProgram) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  ASSERT_TRUE(std::filesystem::exists("/usr/sbin/bpftool")) << "run tools/setup.sh";
  ASSERT_TRUE(EnsureBpffs());
  TempDir dir;
  std::string object = dir.File("opensnoop.bpf.o");
  ASSERT_EQ(Compile(SourcePath("samples/opensnoop.nu"), object), "");

  std::string pin = "/sys/fs/bpf/nubpf-test-" + std::to_string(getpid());
  RunResult result = RunToExit({"/usr/sbin/bpftool", "prog", "loadall", object, pin});
  bool pinned = std::filesystem::exists(pin + "/sys_enter_openat");
  std::error_code ignored;
  std::filesystem::remove_all(pin, ignored);

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(pinned) << result.err;
}

}  // namespace
}  // namespace nubpf::testing
