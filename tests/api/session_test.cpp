// The runtime library as an application uses it: an object compiled by
// nubpfc and embedded as bytes, opened with Session::OpenBuffer(), a
// parameter set from code, events received through a handler and the
// aggregation and global read back. This binary links the runtime library
// and no LLVM, as such an application would.

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "runtime/event_printer.h"
#include "runtime/session.h"
#include "runtime/skeleton_support.h"
#include "tests/support/getppid_child.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using runtime::DecodedEvent;
using runtime::Session;

constexpr char kChildComm[] = "nubpf_api";

// Counts getppid calls of the processes named `--comm`, sends one event
// per call and sums the calls into a global.
constexpr char kProbe[] =
    "use nubpf *\n"
    "mut calls = 0\n"
    "def main [--comm: string = \"none\"] {\n"
    "    probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
    "        if $e.comm == $comm {\n"
    "            emit {pid: $e.pid, comm: $e.comm}\n"
    "            $e.comm | count\n"
    "            $calls += 1\n"
    "        }\n"
    "    }\n"
    "}\n";

// Compiles `text` and returns the object's bytes, or sets `error`.
std::string CompileToBytes(const TempDir& dir, const std::string& text, std::string* error) {
  std::string source = dir.File("probe.nu");
  std::ofstream(source) << text;
  std::string object = dir.File("probe.bpf.o");
  RunResult compiled = RunToExit({NubpfcPath(), source, "-o", object});
  if (compiled.exit_code != 0) {
    *error = "nubpfc failed:\n" + compiled.err;
    return "";
  }
  std::ifstream in(object, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Returns the value of field `name` of `event` as text, or "" without one.
std::string FieldText(const DecodedEvent& event, const std::string& name) {
  for (size_t i = 0; i < event.event->fields.size(); ++i) {
    if (event.event->fields[i].name != name) continue;
    const runtime::FieldValue& value = event.values[i];
    if (auto* text = std::get_if<std::string>(&value)) return *text;
    if (auto* number = std::get_if<uint64_t>(&value)) return std::to_string(*number);
    if (auto* number = std::get_if<int64_t>(&value)) return std::to_string(*number);
  }
  return "";
}

TEST(Session, RunsAnEmbeddedObject) {
  TempDir dir;
  std::string error;
  std::string bytes = CompileToBytes(dir, kProbe, &error);
  ASSERT_TRUE(error.empty()) << error;

  runtime::SessionOptions options;
  options.warnings = stderr;
  auto session = Session::OpenBuffer("embedded probe", bytes, options);
  ASSERT_TRUE(session) << session.error().message;
  ASSERT_EQ((*session)->metadata().parameters.size(), 1u);
  EXPECT_EQ((*session)->metadata().parameters[0].name, "comm");

  auto set = (*session)->SetParameter("comm", kChildComm);
  ASSERT_FALSE(set) << set->message;
  auto attached = (*session)->Attach();
  ASSERT_FALSE(attached) << attached->message << "\n" << attached->help;
  EXPECT_EQ((*session)->probe_count(), 1u);

  // Three children call getppid once each; their events arrive through
  // the handler.
  std::vector<pid_t> pids;
  for (int i = 0; i < 3; ++i) {
    GetppidChild child(kChildComm);
    ASSERT_TRUE(child.started());
    ASSERT_TRUE(child.WaitForCall());
    pids.push_back(child.pid());
    ASSERT_TRUE(child.Finish());
  }
  std::vector<std::string> seen;
  runtime::EventHandler handler = [&](const DecodedEvent& event) {
    EXPECT_EQ(FieldText(event, "comm"), kChildComm);
    seen.push_back(FieldText(event, "pid"));
    return true;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (seen.size() < pids.size() && std::chrono::steady_clock::now() < deadline) {
    auto polled = (*session)->Poll(std::chrono::milliseconds(100), handler);
    ASSERT_TRUE(polled) << polled.error().message;
  }
  ASSERT_EQ(seen.size(), pids.size());
  for (size_t i = 0; i < pids.size(); ++i) EXPECT_EQ(seen[i], std::to_string(pids[i]));

  auto stopped = (*session)->Stop(handler);
  ASSERT_FALSE(stopped) << stopped->message;
  EXPECT_EQ(seen.size(), pids.size());

  // The maps stay readable after Stop().
  const runtime::AggregationInfo& counts = (*session)->metadata().aggregations.at(0);
  auto rows = (*session)->ReadAggregation(counts);
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->at(0).value.count, 3u);
  auto globals = (*session)->ReadGlobals();
  ASSERT_TRUE(globals) << globals.error().message;
  ASSERT_EQ(globals->size(), 1u);
  EXPECT_EQ(std::get<int64_t>(globals->at(0)), 3);
  auto lost = (*session)->LostEvents();
  ASSERT_TRUE(lost) << lost.error().message;
  EXPECT_EQ(*lost, 0u);

  // A skeleton built from another probe file names what it looked for.
  auto missing = runtime::ReadAggregationByName(**session, "count_by_pid");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("has no aggregation `count_by_pid`"), std::string::npos)
      << missing.error().message;
  EXPECT_NE(missing.error().help.find("rebuild the skeleton"), std::string::npos);
  auto no_global = runtime::ReadGlobalByName(**session, "bytes");
  ASSERT_FALSE(no_global);
  EXPECT_NE(no_global.error().message.find("has no global `bytes`"), std::string::npos)
      << no_global.error().message;
}

TEST(Session, HandlerEndsAPollEarly) {
  TempDir dir;
  std::string error;
  std::string bytes = CompileToBytes(dir, kProbe, &error);
  ASSERT_TRUE(error.empty()) << error;
  auto session = Session::OpenBuffer("embedded probe", bytes);
  ASSERT_TRUE(session) << session.error().message;
  ASSERT_FALSE((*session)->SetParameter("comm", kChildComm));
  ASSERT_FALSE((*session)->Attach());

  for (int i = 0; i < 2; ++i) {
    GetppidChild child(kChildComm);
    ASSERT_TRUE(child.WaitForCall());
    ASSERT_TRUE(child.Finish());
  }

  // A handler that returns false takes one record per poll; the second
  // stays in the ring buffer for the next.
  size_t handled = 0;
  runtime::EventHandler one = [&](const DecodedEvent&) {
    ++handled;
    return false;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (handled == 0 && std::chrono::steady_clock::now() < deadline) {
    ASSERT_TRUE((*session)->Poll(std::chrono::milliseconds(100), one));
  }
  EXPECT_EQ(handled, 1u);
  ASSERT_TRUE((*session)->Poll(std::chrono::milliseconds(100), one));
  EXPECT_EQ(handled, 2u);
}

TEST(Session, OpensAFileAndRejectsMisuse) {
  TempDir dir;
  std::string error;
  std::string bytes = CompileToBytes(dir, kProbe, &error);
  ASSERT_TRUE(error.empty()) << error;

  auto session = Session::OpenFile(dir.File("probe.bpf.o"));
  ASSERT_TRUE(session) << session.error().message;
  EXPECT_EQ((*session)->name(), dir.File("probe.bpf.o"));

  // Unknown parameters and values of the wrong type are refused.
  auto unknown = (*session)->SetParameter("nope", "1");
  ASSERT_TRUE(unknown);
  EXPECT_NE(unknown->message.find("--nope"), std::string::npos) << unknown->message;

  // Reading before Attach() is an error, not a crash.
  auto rows = (*session)->ReadAggregation((*session)->metadata().aggregations.at(0));
  ASSERT_FALSE(rows);
  EXPECT_NE(rows.error().message.find("Attach()"), std::string::npos) << rows.error().message;
  auto polled = (*session)->Poll(std::chrono::milliseconds(1), {});
  ASSERT_FALSE(polled);

  // Parameters are fixed once the programs are loaded.
  ASSERT_FALSE((*session)->Attach());
  auto late = (*session)->SetParameter("comm", "bash");
  ASSERT_TRUE(late);
  EXPECT_NE(late->message.find("after Attach()"), std::string::npos) << late->message;
  auto again = (*session)->Attach();
  ASSERT_TRUE(again);
}

TEST(Session, NamesABadBuffer) {
  auto session = Session::OpenBuffer("firmware blob", "not an object");
  ASSERT_FALSE(session);
  EXPECT_NE(session.error().message.find("`firmware blob`"), std::string::npos)
      << session.error().message;
  EXPECT_NE(session.error().message.find("not an ELF file"), std::string::npos)
      << session.error().message;
}

// An application's errors carry its own name, not nubpf-run's.
TEST(Session, ErrorsNameTheProgram) {
  auto session = Session::OpenBuffer("blob", "not an object");
  ASSERT_FALSE(session);
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  runtime::PrintError(session.error(), out);
  std::rewind(out);
  char line[256] = {};
  ASSERT_NE(std::fgets(line, sizeof(line), out), nullptr);
  std::fclose(out);
  EXPECT_EQ(std::string(line).rfind("api_tests: error: ", 0), 0u) << line;
}

// Applications that link the runtime library get libbpf, not LLVM, as this
// test binary does.
TEST(RuntimeLinkage, NeedsNoLlvm) {
  char resolved[4096];
  ssize_t size = readlink("/proc/self/exe", resolved, sizeof(resolved) - 1);
  ASSERT_GT(size, 0);
  std::string path(resolved, static_cast<size_t>(size));

  RunResult ldd = RunToExit({"/usr/bin/ldd", path});
  ASSERT_EQ(ldd.exit_code, 0) << ldd.err;
  EXPECT_NE(ldd.out.find("libbpf"), std::string::npos) << path << ":\n" << ldd.out;
  EXPECT_EQ(ldd.out.find("LLVM"), std::string::npos) << path << ":\n" << ldd.out;
  EXPECT_EQ(ldd.out.find("libclang"), std::string::npos) << path << ":\n" << ldd.out;
}

// nubpf-run contains libbpf and no LLVM. The default build links it
// statically, so libbpf's functions are among its own symbols. Sanitizer
// and fuzz builds link it dynamically, and there libbpf is among its
// shared libraries.
TEST(RuntimeLinkage, NubpfRunNeedsNoLlvm) {
  const std::string path = NubpfRunPath();
  RunResult ldd = RunToExit({"/usr/bin/ldd", path});
  ASSERT_EQ(ldd.exit_code, 0) << ldd.err;
  EXPECT_EQ(ldd.out.find("LLVM"), std::string::npos) << path << ":\n" << ldd.out;
  EXPECT_EQ(ldd.out.find("libclang"), std::string::npos) << path << ":\n" << ldd.out;
#if NUBPF_RUN_STATIC
  EXPECT_NE(ldd.out.find("statically linked"), std::string::npos) << path << ":\n" << ldd.out;

  // Mangled C++ names of LLVM's classes start with `_ZN4llvm`, and its C
  // API's functions with `LLVM`.
  RunResult nm = RunToExit({"/usr/bin/nm", "--defined-only", path});
  ASSERT_EQ(nm.exit_code, 0) << nm.err;
  EXPECT_NE(nm.out.find(" bpf_object__open_file\n"), std::string::npos);
  EXPECT_EQ(nm.out.find("_ZN4llvm"), std::string::npos);
  EXPECT_EQ(nm.out.find(" LLVM"), std::string::npos);
#else
  EXPECT_NE(ldd.out.find("libbpf"), std::string::npos) << path << ":\n" << ldd.out;
#endif
}

}  // namespace
}  // namespace nubpf::testing
