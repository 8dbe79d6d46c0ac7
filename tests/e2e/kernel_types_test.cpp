// Kernel structs read with CO-RE, loaded into the running kernel. Each
// probe fires on the getppid(2) of a child process this test starts, and
// its values are checked against the child's pid, parent and name.

#include <bpf/btf.h>
#include <sys/prctl.h>
#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/probe_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr char kChildComm[] = "nubpf-kernel";

// Runs a probe that emits `record` when the child calls getppid(2), and
// returns the one event, or an error message in `error`.
nlohmann::json RunRecord(const std::string& record, std::string* error,
                         const std::function<bool()>& run_child = [] {
                           return CallGetppidAs(kChildComm);
                         },
                         const std::vector<std::string>& nubpfc_flags = {}) {
  std::string text = std::string("probe tracepoint:syscalls:sys_enter_getppid {|e|\n") +
                     "    if $e.comm == \"" + kChildComm + "\" {\n        emit " + record +
                     "\n    }\n}\n";
  ProbeRun run = RunProbeWithChild(text, run_child, 1, nubpfc_flags);
  if (!run.error.empty()) {
    *error = run.error;
    return nullptr;
  }
  nlohmann::json event = nlohmann::json::parse(run.lines[0], nullptr, false);
  if (!event.is_object()) *error = "not a JSON object: " + run.lines[0];
  return event;
}

// A child that sets SCHED_RESET_ON_FORK on itself, which the kernel keeps
// in the bitfield `task_struct.sched_reset_on_fork`, then calls getppid.
bool CallGetppidResettingOnFork() {
  pid_t child = fork();
  if (child < 0) return false;
  if (child == 0) {
    prctl(PR_SET_NAME, kChildComm);
    sched_param parameter{};
    if (sched_setscheduler(0, SCHED_OTHER | SCHED_RESET_ON_FORK, &parameter) != 0) _exit(1);
    syscall(SYS_getppid);
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// Writes a kernel BTF in which `task_struct` has `pid`, `comm` and a
// member that no Linux kernel has, so that a probe compiled against it
// meets a kernel without that member. With `struct_name` other than
// `task_struct`, the file has no `task_struct` at all.
void WriteCraftedBtf(const std::string& path, const char* struct_name = "task_struct") {
  struct btf* btf = btf__new_empty();
  ASSERT_NE(btf, nullptr);
  int u32 = btf__add_int(btf, "unsigned int", 4, 0);
  int s32 = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
  int character = btf__add_int(btf, "char", 1, 0);
  int comm = btf__add_array(btf, u32, character, 16);
  ASSERT_GT(btf__add_struct(btf, struct_name, 64), 0);
  ASSERT_EQ(btf__add_field(btf, "pid", s32, 0, 0), 0);
  ASSERT_EQ(btf__add_field(btf, "nubpf_not_in_linux", s32, 32, 0), 0);
  ASSERT_EQ(btf__add_field(btf, "comm", comm, 64, 0), 0);
  uint32_t size = 0;
  const void* data = btf__raw_data(btf, &size);
  std::ofstream(path, std::ios::binary).write(static_cast<const char*>(data), size);
  btf__free(btf);
}

class KernelTypesE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  }
};

TEST_F(KernelTypesE2e, RealParentTgidIsThisProcess) {
  std::string error;
  nlohmann::json event = RunRecord("{ppid: $e.task.real_parent.tgid}", &error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(event["ppid"], getpid());
}

TEST_F(KernelTypesE2e, CommFromTask) {
  std::string error;
  nlohmann::json event =
      RunRecord("{comm: $e.task.comm, same: ($e.task.comm == $e.comm)}", &error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(event["comm"], kChildComm);
  EXPECT_EQ(event["same"], true);
}

TEST_F(KernelTypesE2e, TaskPidIsThreadId) {
  std::string error;
  nlohmann::json event = RunRecord(
      "{pid: $e.task.pid, tid: $e.tid, tgid: $e.task.tgid, process: $e.pid, "
      "same: ($e.task.pid == $e.tid), task: $e.task, parent: ($e.task.real_parent != null)}",
      &error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(event["pid"], event["tid"]);
  EXPECT_EQ(event["tgid"], event["process"]);
  EXPECT_EQ(event["same"], true);
  EXPECT_EQ(event["parent"], true);
  // A kernel address, in the upper half of the address space.
  EXPECT_GE(event["task"].get<uint64_t>(), uint64_t{1} << 63);
}

TEST_F(KernelTypesE2e, BitfieldSetByChild) {
  std::string error;
  nlohmann::json event =
      RunRecord("{reset: $e.task.sched_reset_on_fork}", &error, CallGetppidResettingOnFork);
  ASSERT_EQ(error, "");
  EXPECT_EQ(event["reset"], 1);
}

TEST_F(KernelTypesE2e, BitfieldClearByDefault) {
  std::string error;
  nlohmann::json event = RunRecord("{reset: $e.task.sched_reset_on_fork}", &error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(event["reset"], 0);
}

TEST_F(KernelTypesE2e, ArrayElementIsThreadId) {
  // `numbers[0]` is the pid in the initial pid namespace, as `$e.tid` is.
  std::string error;
  nlohmann::json event = RunRecord(
      "{nr: $e.task.thread_pid.numbers.0.nr, tid: $e.tid}", &error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(event["nr"], event["tid"]);
}

TEST_F(KernelTypesE2e, ComputedIndexInAndOutOfRange) {
  // `zero` is 0 only at run time. `pid_links` has 4 elements, so index 9
  // reads as if through a null pointer.
  std::string record =
      "{nr: (($e.task.thread_pid.numbers | get ($e.cpu bit-and 0)) | get nr), tid: $e.tid, "
      "same: ((($e.task.pid_links | get ($e.cpu bit-and 0)) | get next) == "
      "$e.task.pid_links.0.next), "
      "past: ((($e.task.pid_links | get (($e.cpu bit-and 0) + 9)) | get next) == null)}";
  std::string error;
  nlohmann::json event = RunRecord(record, &error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(event["nr"], event["tid"]);
  EXPECT_EQ(event["same"], true);
  EXPECT_EQ(event["past"], true);
}

TEST_F(KernelTypesE2e, EnumComparedByName) {
  // restart_block.nanosleep.type is an `enum timespec_type`, whose
  // TT_NONE is 0 and TT_NATIVE 1 in Linux.
  std::string error;
  nlohmann::json event = RunRecord(
      "{none: ($e.task.restart_block.nanosleep.type == \"TT_NONE\"), "
      "native: ($e.task.restart_block.nanosleep.type == \"TT_NATIVE\"), "
      "either: ($e.task.restart_block.nanosleep.type in [\"TT_NONE\" \"TT_NATIVE\" \"TT_COMPAT\"]), "
      "matched: (match $e.task.restart_block.nanosleep.type "
      "{ \"TT_NONE\" => 0, \"TT_NATIVE\" => 1, _ => 2 }), "
      "raw: $e.task.restart_block.nanosleep.type}",
      &error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(event["none"], event["raw"] == 0);
  EXPECT_EQ(event["native"], event["raw"] == 1);
  EXPECT_EQ(event["either"], event["raw"].get<int64_t>() <= 2);
  EXPECT_EQ(event["matched"], std::min<int64_t>(event["raw"].get<int64_t>(), 2));
}

TEST_F(KernelTypesE2e, OptionalMemberPresentHere) {
  std::string error;
  nlohmann::json event = RunRecord(
      "{has: ($e.task.pid? != null), pid: ($e.task.pid? | default -1), tid: $e.tid}", &error);
  ASSERT_EQ(error, "");
  EXPECT_EQ(event["has"], true);
  EXPECT_EQ(event["pid"], event["tid"]);
}

TEST_F(KernelTypesE2e, OptionalMemberNullOnThisKernel) {
  TempDir dir;
  std::string btf = dir.File("crafted.btf");
  WriteCraftedBtf(btf);
  for (const char* level : {"-O2", "-O0"}) {
    std::string error;
    nlohmann::json event = RunRecord(
        "{missing: ($e.task.nubpf_not_in_linux? == null), "
        "value: ($e.task.nubpf_not_in_linux? | default 42), "
        "pid: ($e.task.pid? | default -1), tid: $e.tid}",
        &error, [] { return CallGetppidAs(kChildComm); }, {"--btf", btf, level});
    ASSERT_EQ(error, "") << level;
    EXPECT_EQ(event["missing"], true) << level;
    EXPECT_EQ(event["value"], 42) << level;
    EXPECT_EQ(event["pid"], event["tid"]) << level;
  }
}

TEST_F(KernelTypesE2e, ReadsLoadWithoutOptimization) {
  std::string error;
  nlohmann::json event = RunRecord(
      "{ppid: $e.task.real_parent.tgid, comm: $e.task.comm, "
      "reset: $e.task.sched_reset_on_fork, nr: $e.task.thread_pid.numbers.0.nr, "
      "tid: $e.tid}",
      &error, [] { return CallGetppidAs(kChildComm); }, {"-O0"});
  ASSERT_EQ(error, "");
  EXPECT_EQ(event["ppid"], getpid());
  EXPECT_EQ(event["comm"], kChildComm);
  EXPECT_EQ(event["reset"], 0);
  EXPECT_EQ(event["nr"], event["tid"]);
}

TEST_F(KernelTypesE2e, MissingMemberWithoutOptionalFailsLoad) {
  TempDir dir;
  std::string btf = dir.File("crafted.btf");
  WriteCraftedBtf(btf);
  std::string source = dir.File("probe.nu");
  std::ofstream(source)
      << "probe tracepoint:syscalls:sys_enter_getppid {|e| emit {x: $e.task.nubpf_not_in_linux} }\n";
  std::string object = dir.File("probe.bpf.o");
  ASSERT_EQ(Compile(source, object, {"--btf", btf}), "");
  RunResult run = RunToExit({NubpfRunPath(), object, "--duration", "200ms"});
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("task_struct.nubpf_not_in_linux"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("this kernel lacks a kernel struct member"), std::string::npos)
      << run.err;
}

TEST(KernelTypesErrors, MissingStructNamesNearest) {
  TempDir dir;
  std::string btf = dir.File("crafted.btf");
  WriteCraftedBtf(btf, "task_strukt");
  std::string source = dir.File("probe.nu");
  std::ofstream(source)
      << "probe tracepoint:syscalls:sys_enter_getppid {|e| emit {p: $e.task.pid} }\n";
  RunResult result =
      RunToExit({NubpfcPath(), source, "-o", dir.File("probe.bpf.o"), "--btf", btf});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("has no struct `task_struct`"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("it has `struct task_strukt`"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace nubpf::testing
