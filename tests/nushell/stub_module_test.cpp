// tools/nubpf/mod.nu: the stub signatures that let Nushell read probe files.

#include <set>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/nushell.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

// Runs `script` with nu, with tools/ on the library path.
RunResult RunNu(const std::string& script) {
  return RunToExit(
      {NuPath(), "-n", "--include-path", SourcePath("tools"), "-c", script});
}

TEST(NubpfModule, ExportsEveryCommand) {
  ASSERT_FALSE(NuPath().empty()) << kNuMissing;
  RunResult run = RunNu(
      "use nubpf *; scope commands | where type == custom | "
      "select name description | to json --raw");
  ASSERT_EQ(run.exit_code, 0) << run.err;

  std::set<std::string> described;
  for (const nlohmann::json& command : nlohmann::json::parse(run.out)) {
    std::string description = command["description"];
    if (!description.empty()) described.insert(std::string(command["name"]));
  }
  for (const char* name :
       {"probe", "bpf_probe", "bpf_tracepoint", "emit", "send", "count", "math sum",
        "math min", "math max", "math avg", "stats", "histogram", "start-timer", "stop-timer",
        "store set", "store get", "store delete", "read-user-string"}) {
    EXPECT_EQ(described.count(name), 1u) << "no described command `" << name << "`";
  }
}

// Every form the language has or plans passes Nushell's parser.
TEST(NubpfModule, AcceptsEveryForm) {
  ASSERT_FALSE(NuPath().empty()) << kNuMissing;
  NuCheckResult result = CheckWithNushell(
      "probe tracepoint:syscalls:sys_enter_read {|e|\n"
      "    emit {pid: $e.pid, comm: $e.comm}\n"
      "    {pid: $e.pid} | emit\n"
      "    count\n"
      "    $e.comm | count\n"
      "    count --by $e.comm\n"
      "    send $e.pid\n"
      "    $e.pid | send\n"
      "    count --by {comm: $e.comm, pid: $e.pid} --as reads --max-entries 4 --lru\n"
      "    $e.count | math sum --by $e.comm\n"
      "    $e.count | math min --by $e.comm --as smallest\n"
      "    $e.count | math max\n"
      "    $e.count | math avg\n"
      "    $e.count | stats --by $e.comm --max-entries 100\n"
      "    $e.count | histogram --by $e.comm --linear 0 4096 512\n"
      "    1ms | histogram\n"
      "    4kb | math sum --lru --by $e.pid\n"
      "    start-timer --key $e.tid\n"
      "    stop-timer --key $e.tid | histogram\n"
      "    start-timer reads --key {pid: $e.pid, fd: $e.fd} --max-entries 100\n"
      "    let took = stop-timer reads --key {pid: $e.pid, fd: $e.fd}\n"
      "    $e.fd | store set last_fd --key $e.tid --max-entries 4096\n"
      "    let fd = store get last_fd --key $e.tid | default 0\n"
      "    store delete last_fd --key $e.tid\n"
      "    emit {text: ($e.buf | read-user-string)}\n"
      "}\n"
      "bpf_tracepoint syscalls:sys_enter_openat {|event| count }\n"
      "bpf_probe kernel:function(\"do_sys_open\") {|event| send $event.pid }\n"
      "def main [--comm: string = \"\"] {\n"
      "    probe tp:syscalls:sys_exit_read {|e| if $comm == \"\" { count } }\n"
      "}\n",
      "forms.nu");
  EXPECT_EQ(FormatNuErrors(result), "");
}

TEST(NubpfModule, StubRaisesOutsideProbe) {
  ASSERT_FALSE(NuPath().empty()) << kNuMissing;
  RunResult run = RunNu("use nubpf *; $in | count");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("this command runs only inside a probe compiled by nubpfc"),
            std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace nubpf::testing
