// Probe families that read their arguments from BTF (raw tracepoints and
// tp_btf), tracepoint wildcards, and record fields of every kind. Most
// tests start a child with a known name that calls getppid(2), system call
// 110 on x86-64, and the probes check its number.

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/support/probe_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr int kGetppidNumber = 110;

class ProbeFamilies : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CanLoadBpf()) GTEST_SKIP() << "BPF programs cannot be loaded here (needs root)";
  }
};

TEST_F(ProbeFamilies, RawTracepointArgumentsByPosition) {
  ProbeRun run = RunProbeForChild(
      "probe raw_tracepoint:sys_enter {|e|\n"
      "    if $e.comm == \"nbf-raw\" and $e.arg1 == 110 { emit {nr: $e.arg1} }\n"
      "}\n",
      "nbf-raw");
  ASSERT_EQ(run.error, "");
  EXPECT_EQ(nlohmann::json::parse(run.lines[0])["nr"], kGetppidNumber);
}

TEST_F(ProbeFamilies, TpBtfArgumentsByName) {
  // `id` is a `long` in the tracepoint's prototype, so it is signed.
  ProbeRun run = RunProbeForChild(
      "probe tp_btf:sys_enter {|e|\n"
      "    if $e.comm == \"nbf-btf\" and $e.id == 110 { emit {nr: $e.id, same: ($e.arg1 == $e.id)} }\n"
      "}\n",
      "nbf-btf");
  ASSERT_EQ(run.error, "");
  nlohmann::json event = nlohmann::json::parse(run.lines[0]);
  EXPECT_EQ(event["nr"], kGetppidNumber);
  EXPECT_EQ(event["same"], true);
}

TEST_F(ProbeFamilies, TracepointWildcardAttachesEachMatch) {
  // The child calls getppid and no other `getp*` system call after it
  // takes its name.
  ProbeRun run = RunProbeForChild(
      "probe tracepoint:syscalls:sys_enter_getp* {|e|\n"
      "    if $e.comm == \"nbf-wild\" { emit {nr: $e.__syscall_nr} }\n"
      "}\n",
      "nbf-wild");
  ASSERT_EQ(run.error, "");
  EXPECT_EQ(nlohmann::json::parse(run.lines[0])["nr"], kGetppidNumber);
}

// `__data_loc char[]` fields are strings stored after the fixed fields of
// the record: sched_process_exec's `filename` is the program a child runs.
TEST_F(ProbeFamilies, DataLocStringIsRead) {
  TempDir dir;
  std::string source = dir.File("exec.nu");
  std::string object = dir.File("exec.bpf.o");
  std::ofstream(source) << "probe tracepoint:sched:sched_process_exec {|e|\n"
                           "    if $e.filename == \"/bin/true\" { emit {file: $e.filename} }\n"
                           "}\n";
  ASSERT_EQ(Compile(source, object), "");

  Subprocess run({NubpfRunPath(), object, "--format", "json"});
  ASSERT_TRUE(run.WaitForStderr("attached", std::chrono::seconds(20))) << run.stderr_text();
  EXPECT_EQ(RunToExit({"/bin/true"}).exit_code, 0);
  std::optional<std::string> line = run.ReadLine(std::chrono::seconds(10));
  ASSERT_TRUE(line.has_value()) << run.stderr_text();
  EXPECT_EQ(nlohmann::json::parse(*line)["file"], "/bin/true");
  EXPECT_EQ(run.Stop(SIGINT), 0);
}

// tp_btf arguments have their kernel types: `bprm` and `p` are pointers
// whose members are read with CO-RE.
TEST_F(ProbeFamilies, TpBtfPointerArgumentsAreFollowed) {
  TempDir dir;
  std::string source = dir.File("exec.nu");
  std::string object = dir.File("exec.bpf.o");
  std::ofstream(source) << "probe tp_btf:sched_process_exec {|e|\n"
                           "    if $e.bprm.filename == \"/bin/true\" {\n"
                           "        emit {file: $e.bprm.filename, ppid: $e.p.real_parent.tgid}\n"
                           "    }\n"
                           "}\n";
  ASSERT_EQ(Compile(source, object), "");

  Subprocess run({NubpfRunPath(), object, "--format", "json"});
  ASSERT_TRUE(run.WaitForStderr("attached", std::chrono::seconds(20))) << run.stderr_text();
  EXPECT_EQ(RunToExit({"/bin/true"}).exit_code, 0);
  std::optional<std::string> line = run.ReadLine(std::chrono::seconds(10));
  ASSERT_TRUE(line.has_value()) << run.stderr_text();
  nlohmann::json event = nlohmann::json::parse(*line);
  EXPECT_EQ(event["file"], "/bin/true");
  EXPECT_EQ(event["ppid"], getpid());
  EXPECT_EQ(run.Stop(SIGINT), 0);
}

// Returns the inode number of this process's cgroup v2 folder, or 0 when
// cgroup v2 is not mounted: the path from the `0::PATH` line of
// /proc/self/cgroup, under the cgroup2 mount of /proc/mounts.
uint64_t OwnCgroupInode() {
  std::string mount;
  std::ifstream mounts("/proc/mounts");
  std::string device, folder, type, rest;
  while (mounts >> device >> folder >> type && std::getline(mounts, rest)) {
    if (type == "cgroup2") mount = folder;
  }
  std::string path;
  std::ifstream cgroups("/proc/self/cgroup");
  for (std::string line; std::getline(cgroups, line);) {
    if (line.rfind("0::", 0) == 0) path = line.substr(3);
  }
  struct stat info;
  if (mount.empty() || path.empty() || stat((mount + path).c_str(), &info) != 0) return 0;
  return info.st_ino;
}

TEST_F(ProbeFamilies, CgroupIsTheFolderInode) {
  uint64_t inode = OwnCgroupInode();
  if (inode == 0) GTEST_SKIP() << "cgroup v2 is not mounted";
  ProbeRun run = RunProbeForChild(
      "probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
      "    if $e.comm == \"nbf-cgroup\" { emit {cgroup: $e.cgroup} }\n"
      "}\n",
      "nbf-cgroup");
  ASSERT_EQ(run.error, "");
  // The child stays in this process's cgroup.
  EXPECT_EQ(nlohmann::json::parse(run.lines[0])["cgroup"], inode);
}

}  // namespace
}  // namespace nubpf::testing
