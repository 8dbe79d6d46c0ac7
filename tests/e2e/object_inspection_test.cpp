// nubpf-run --list, which shows what an object contains without loading it,
// and --verify, which loads every program and reports the verifier's work.

#include <sys/utsname.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/llvm_ir.h"
#include "tests/support/nushell.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

// Parameters, an aggregation, an `emit` and a `print` event, a global and
// a kernel function probe with its kprobe fallback.
constexpr char kProbeFile[] =
    "mut calls = 0\n"
    "def main [--comm: string = \"\", --min-bytes: int = 1] {\n"
    "    probe tracepoint:syscalls:sys_exit_read {|e|\n"
    "        if $e.ret >= $min_bytes and ($comm == \"\" or $e.comm == $comm) {\n"
    "            $e.ret | histogram --by $e.comm\n"
    "        }\n"
    "    }\n"
    "    probe tracepoint:syscalls:sys_enter_openat {|e|\n"
    "        emit {pid: $e.pid, comm: $e.comm}\n"
    "    }\n"
    "    probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
    "        $calls += 1\n"
    "        print $\"getppid ($e.pid)\"\n"
    "    }\n"
    "    bpf_probe kernel:function(\"vfs_read\") {|e| count }\n"
    "}\n";

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string CompileProbeFile(const TempDir& dir) {
  std::string source = dir.File("inspect.nu");
  std::ofstream(source) << kProbeFile;
  std::string object = dir.File("inspect.bpf.o");
  EXPECT_EQ(Compile(source, object), "");
  return object;
}

// True when the running kernel's release is at least MAJOR.MINOR.
bool KernelAtLeast(int major, int minor) {
  utsname names{};
  if (uname(&names) != 0) return false;
  int running_major = 0;
  int running_minor = 0;
  if (std::sscanf(names.release, "%d.%d", &running_major, &running_minor) != 2) return false;
  return running_major > major || (running_major == major && running_minor >= minor);
}

// Parses JSON lines, one value per line.
std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> values;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) values.push_back(nlohmann::json::parse(text.substr(start, end - start)));
    start = end + 1;
  }
  return values;
}

// The records of `kind` among JSON lines.
std::vector<nlohmann::json> OfKind(const std::vector<nlohmann::json>& records,
                                   const std::string& kind) {
  std::vector<nlohmann::json> found;
  for (const nlohmann::json& record : records) {
    if (record.value("kind", "") == kind) found.push_back(record);
  }
  return found;
}

TEST(ObjectListing, TableShowsEveryKind) {
  TempDir dir;
  std::string object = CompileProbeFile(dir);
  RunResult result = RunToExit({NubpfRunPath(), "--list", object});
  ASSERT_EQ(result.exit_code, 0) << result.err;

  for (const char* heading : {"probes\n", "maps\n", "parameters\n", "events\n",
                              "aggregations\n", "globals\n"}) {
    EXPECT_TRUE(Contains(result.out, heading)) << heading << "\n" << result.out;
  }
  EXPECT_TRUE(Contains(result.out, "tracepoint:syscalls:sys_enter_openat")) << result.out;
  EXPECT_TRUE(Contains(result.out, "fentry:vfs_read")) << result.out;
  EXPECT_TRUE(Contains(result.out, "kprobe:vfs_read")) << result.out;
  EXPECT_TRUE(Contains(result.out, "min-bytes")) << result.out;
  EXPECT_TRUE(Contains(result.out, "pid: u32")) << result.out;
  EXPECT_TRUE(Contains(result.out, "getppid {0}")) << result.out;
  EXPECT_TRUE(Contains(result.out, "nubpf_events")) << result.out;
}

TEST(ObjectListing, JsonRecordsPerItem) {
  TempDir dir;
  std::string object = CompileProbeFile(dir);
  RunResult result = RunToExit({NubpfRunPath(), "--list", object, "--format", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<nlohmann::json> records = JsonLines(result.out);

  std::vector<nlohmann::json> probes = OfKind(records, "probe");
  ASSERT_EQ(probes.size(), 4u) << result.out;
  nlohmann::json vfs_read;
  for (const nlohmann::json& probe : probes) {
    if (probe["target"] == "fentry:vfs_read") vfs_read = probe;
  }
  ASSERT_FALSE(vfs_read.is_null()) << result.out;
  EXPECT_EQ(vfs_read["family"], "fentry");
  EXPECT_EQ(vfs_read["fallback"], "kprobe:vfs_read");
  EXPECT_EQ(vfs_read["source"], dir.File("inspect.nu") + ":15:5");

  std::vector<nlohmann::json> parameters = OfKind(records, "parameter");
  ASSERT_EQ(parameters.size(), 2u) << result.out;
  EXPECT_EQ(parameters[1]["name"], "min-bytes");
  EXPECT_EQ(parameters[1]["type"], "int");
  EXPECT_EQ(parameters[1]["default"], "1");

  std::vector<nlohmann::json> events = OfKind(records, "event");
  ASSERT_EQ(events.size(), 2u) << result.out;
  EXPECT_EQ(events[0]["site"], "emit");
  EXPECT_EQ(events[0]["fields"][0]["name"], "pid");
  EXPECT_EQ(events[0]["fields"][0]["type"], "u32");
  EXPECT_EQ(events[0]["fields"][1]["type"], "string");
  EXPECT_EQ(events[1]["site"], "print");
  EXPECT_EQ(events[1]["template"], "getppid {0}");

  // The ring buffer's size and a per-CPU hash map's key and capacity come
  // from libbpf's open of the object.
  bool found_ring_buffer = false;
  for (const nlohmann::json& map : OfKind(records, "map")) {
    if (map["name"] != "nubpf_events") continue;
    found_ring_buffer = true;
    EXPECT_EQ(map["type"], "ringbuf");
    EXPECT_GT(map["max_entries"].get<uint64_t>(), 0u);
  }
  EXPECT_TRUE(found_ring_buffer) << result.out;

  std::vector<nlohmann::json> aggregations = OfKind(records, "aggregation");
  ASSERT_EQ(aggregations.size(), 2u) << result.out;
  EXPECT_EQ(aggregations[0]["function"], "histogram");
  EXPECT_EQ(aggregations[0]["keys"][0]["name"], "comm");
  std::vector<nlohmann::json> globals = OfKind(records, "global");
  ASSERT_EQ(globals.size(), 1u) << result.out;
  EXPECT_EQ(globals[0]["name"], "calls");
}

TEST(ObjectListing, NushellFiltersByKind) {
  if (NuPath().empty()) GTEST_FAIL() << kNuMissing;
  TempDir dir;
  std::string object = CompileProbeFile(dir);
  RunResult probes = EvaluateWithNushell(
      "^'" + NubpfRunPath() + "' --list '" + object +
      "' --format json | from json --objects | where kind == probe | get target | sort");
  ASSERT_EQ(probes.exit_code, 0) << probes.err;
  EXPECT_EQ(probes.out,
            "[\"fentry:vfs_read\",\"tracepoint:syscalls:sys_enter_getppid\","
            "\"tracepoint:syscalls:sys_enter_openat\",\"tracepoint:syscalls:sys_exit_read\"]\n");

  RunResult fields = EvaluateWithNushell(
      "^'" + NubpfRunPath() + "' --list '" + object +
      "' --format nuon | lines | each { from nuon } | where kind == event and site == emit"
      " | get 0.fields.name");
  ASSERT_EQ(fields.exit_code, 0) << fields.err;
  EXPECT_EQ(fields.out, "[\"pid\",\"comm\"]\n");
}

TEST(ObjectListing, NeedsNoPrivileges) {
  if (!CanLoadBpf()) GTEST_SKIP() << "dropping privileges needs root first";
  ASSERT_TRUE(std::filesystem::exists("/usr/bin/setpriv")) << "util-linux is missing";
  TempDir dir;
  std::filesystem::permissions(dir.path(), std::filesystem::perms::others_read |
                                               std::filesystem::perms::others_exec,
                               std::filesystem::perm_options::add);
  std::string object = CompileProbeFile(dir);
  std::filesystem::permissions(object, std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  std::string loader = dir.File("nubpf-run");
  std::filesystem::copy_file(NubpfRunPath(), loader);

  RunResult result =
      RunToExit({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                 "--inh-caps=-all", loader, "--list", object, "--format", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(OfKind(JsonLines(result.out), "probe").size(), 4u) << result.out;
}

TEST(ObjectListing, CsvIsUsageError) {
  TempDir dir;
  std::string object = CompileProbeFile(dir);
  RunResult result = RunToExit({NubpfRunPath(), "--list", object, "--format", "csv"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(Contains(result.err, "--list cannot print `csv`")) << result.err;
}

TEST(ObjectVerification, ReportsEachLoadedProgram) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string object = CompileProbeFile(dir);
  RunResult result = RunToExit({NubpfRunPath(), "--verify", object, "--format", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<nlohmann::json> programs = JsonLines(result.out);
  ASSERT_EQ(programs.size(), 4u) << result.out;

  for (const nlohmann::json& program : programs) {
    // Kernels report verified_insns from 5.16 on, and older ones give null.
    if (KernelAtLeast(5, 16)) {
      ASSERT_TRUE(program["verified_insns"].is_number()) << program;
      EXPECT_GT(program["verified_insns"].get<uint64_t>(), 0u) << program;
    } else {
      EXPECT_TRUE(program["verified_insns"].is_null()) << program;
    }
    EXPECT_GT(program["xlated_bytes"].get<uint64_t>(), 0u) << program;
    EXPECT_EQ(program["xlated_bytes"].get<uint64_t>() % 8, 0u) << program;
    EXPECT_GT(program["jited_bytes"].get<uint64_t>(), 0u) << program;
  }
  EXPECT_EQ(programs[0]["program"], "sys_exit_read");
  EXPECT_EQ(programs[0]["probe"], "tracepoint:syscalls:sys_exit_read");
}

TEST(ObjectVerification, ReportsTheProgramThatLoaded) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string source = dir.File("function.nu");
  std::ofstream(source) << "bpf_probe kernel:function(\"vfs_read\") {|e| count }\n";
  std::string object = dir.File("function.bpf.o");
  ASSERT_EQ(Compile(source, object), "");

  RunResult result = RunToExit({NubpfRunPath(), "--verify", object, "--format", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<nlohmann::json> programs = JsonLines(result.out);
  ASSERT_EQ(programs.size(), 1u) << result.out;
  // Some kernels refuse fentry programs, with EPERM, and the kprobe
  // fallback loads there even without kprobe events, which only
  // attaching needs.
  bool fentry = programs[0]["probe"] == "fentry:vfs_read";
  EXPECT_TRUE(fentry || programs[0]["probe"] == "kprobe:vfs_read") << programs[0];
  EXPECT_EQ(programs[0]["program"], fentry ? "vfs_read" : "vfs_read_2");
  EXPECT_GT(programs[0]["xlated_bytes"].get<uint64_t>(), 0u) << programs[0];
}

TEST(ObjectVerification, TableHasHeaderAndRows) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string object = CompileProbeFile(dir);
  RunResult result = RunToExit({NubpfRunPath(), "--verify", object});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.rfind("program ", 0), 0u) << result.out;
  EXPECT_TRUE(Contains(result.out, "verified insns")) << result.out;
  EXPECT_TRUE(Contains(result.out, "sys_enter_openat")) << result.out;
  // Nothing attached, so nothing was announced.
  EXPECT_FALSE(Contains(result.err, "attached")) << result.err;
}

// A tracepoint program that reads far past its context, which the verifier
// rejects; nubpfc would never write it.
constexpr char kRejectedIr[] =
    "target triple = \"bpf\"\n"
    "@_license = dso_local global [4 x i8] c\"GPL\\00\", section \"license\", align 1\n"
    "@nubpf_metadata = internal constant [91 x i8] c\"nubpf\\093\\0Aprogram\\09bad_read\\09"
    "tracepoint:syscalls:sys_enter_getppid\\091\\091\\0Aattach\\09bad_read\\09section\\0A\", "
    "section \".nubpf\", align 1\n"
    "@llvm.used = appending global [2 x ptr] [ptr @_license, ptr @nubpf_metadata], "
    "section \"llvm.metadata\"\n"
    "define dso_local i32 @bad_read(ptr %ctx) section "
    "\"tracepoint/syscalls/sys_enter_getppid\" {\n"
    "  %far = getelementptr i8, ptr %ctx, i64 100000\n"
    "  %value = load volatile i64, ptr %far, align 8\n"
    "  %small = trunc i64 %value to i32\n"
    "  ret i32 %small\n"
    "}\n";

TEST(ObjectVerification, VerifierRejectionIsLoadError) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string ir = dir.File("rejected.ll");
  std::ofstream(ir) << kRejectedIr;
  std::string object = dir.File("rejected.bpf.o");
  ASSERT_EQ(AssembleBpfIr(ir, object), "");

  RunResult result = RunToExit({NubpfRunPath(), "--verify", object});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_TRUE(Contains(result.err, "the BPF verifier rejected program `bad_read`")) << result.err;
  EXPECT_TRUE(Contains(result.err, "verifier log")) << result.err;
}

// A listing that cannot be written fails as a run's output does.
TEST(ObjectInspectionOutput, ListToFullDeviceFails) {
  TempDir dir;
  std::string source = dir.File("probe.nu");
  std::ofstream(source) << "probe tracepoint:syscalls:sys_enter_getppid {|e| count }\n";
  std::string object = dir.File("probe.bpf.o");
  RunResult compiled = RunToExit({NubpfcPath(), source, "-o", object});
  ASSERT_EQ(compiled.exit_code, 0) << compiled.err;

  RunResult listed = RunToExit({"/bin/sh", "-c", NubpfRunPath() + " --list " + object +
                                                     " > /dev/full"});
  EXPECT_EQ(listed.exit_code, 2) << listed.err;
  EXPECT_NE(listed.err.find("cannot write the listing to standard output"), std::string::npos)
      << listed.err;
}

}  // namespace
}  // namespace nubpf::testing
