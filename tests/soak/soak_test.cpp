// nubpf-run under a long stream: ten million getppid(2) calls from a
// two-thread workload, each one a record, printed as JSON lines into a
// pipe that the test reads and counts without keeping. The test checks
// that every call was either printed or counted as lost, and that
// nubpf-run's resident memory stays flat while it streams.
//
// This is a correctness test, not a timed one: the loss and the speed
// depend on the machine and are printed, not asserted.

#include <sys/types.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr uint64_t kCalls = 10'000'000;
constexpr int kThreads = 2;
constexpr milliseconds kSampleEvery(100);

// A record per call of the workload's threads, which share its pid.
constexpr char kProbeFile[] =
    "def main [--target-pid: int] {\n"
    "    probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
    "        if $e.pid == $target_pid { emit {tid: $e.tid} }\n"
    "    }\n"
    "}\n";

// Returns VmRSS of process `pid` in KiB, or -1 when it cannot be read,
// as after the process exited.
long ResidentKib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// Counts JSON lines as they stream past, keeping only the line that a
// chunk cut in two.
class LineCounter {
 public:
  void Add(std::string_view chunk) {
    size_t start = 0;
    while (true) {
      size_t newline = chunk.find('\n', start);
      if (newline == std::string_view::npos) break;
      if (partial_.empty()) {
        CountLine(chunk.substr(start, newline - start));
      } else {
        partial_.append(chunk.substr(start, newline - start));
        CountLine(partial_);
        partial_.clear();
      }
      start = newline + 1;
    }
    partial_.append(chunk.substr(start));
  }

  uint64_t records() const { return records_; }
  uint64_t lost() const { return lost_; }
  uint64_t other_lines() const { return other_lines_; }
  const std::string& first_other_line() const { return first_other_line_; }
  const std::string& partial() const { return partial_; }

 private:
  void CountLine(std::string_view line) {
    constexpr std::string_view kRecord = "{\"tid\":";
    constexpr std::string_view kLost = "{\"lost_events\":";
    if (line.substr(0, kRecord.size()) == kRecord) {
      ++records_;
      return;
    }
    if (line.substr(0, kLost.size()) == kLost) {
      lost_ += std::stoull(std::string(line.substr(kLost.size())));
      return;
    }
    if (other_lines_++ == 0) first_other_line_ = line;
  }

  std::string partial_;
  uint64_t records_ = 0;
  uint64_t lost_ = 0;
  uint64_t other_lines_ = 0;
  std::string first_other_line_;
};

long MaxOf(const std::vector<long>& samples, size_t begin, size_t end) {
  long largest = 0;
  for (size_t i = begin; i < end; ++i) largest = std::max(largest, samples[i]);
  return largest;
}

TEST(Soak, TenMillionRecordsPrintedOrLost) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string source = dir.File("getppid.nu");
  std::ofstream(source) << kProbeFile;
  std::string object = dir.File("getppid.bpf.o");
  ASSERT_EQ(Compile(source, object), "");
  std::string count_file = dir.File("calls");

  // 16 MiB hold about half a million 32-byte records, so a reader that
  // falls behind for a moment loses nothing. The probe fills the buffer
  // within the first second, and nubpf-run reads more than half a million
  // records within the first quarter of the run, so by then every page of
  // the buffer is resident in nubpf-run.
  auto start = std::chrono::steady_clock::now();
  std::string command = std::string(NUBPF_GETPPID_LOOP) + " " + std::to_string(kCalls) + " " +
                        std::to_string(kThreads) + " " + count_file;
  Subprocess run({NubpfRunPath(), object, "--format", "json", "--ringbuf-size", "16mib", "-c",
                  command});
  ASSERT_TRUE(run.WaitForStderr("attached", seconds(30))) << run.stderr_text();

  // Reads until nubpf-run closes its output, after the workload exits,
  // sampling its memory on the way.
  LineCounter counter;
  std::vector<long> resident_kib;
  auto next_sample = std::chrono::steady_clock::now();
  auto deadline = next_sample + std::chrono::minutes(5);
  bool ended = false;
  while (std::chrono::steady_clock::now() < deadline) {
    if (std::chrono::steady_clock::now() >= next_sample) {
      long kib = ResidentKib(run.pid());
      if (kib > 0) resident_kib.push_back(kib);
      next_sample += kSampleEvery;
    }
    std::optional<std::string> chunk = run.ReadStdoutChunk(kSampleEvery);
    if (!chunk) {
      ended = true;
      break;
    }
    counter.Add(*chunk);
  }
  ASSERT_TRUE(ended) << "nubpf-run still streamed after 5 minutes";
  run.WaitForStderr("\x01never", seconds(5));
  int exit_code = run.Stop(0);
  auto elapsed = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);

  EXPECT_EQ(exit_code, 0) << run.stderr_text();
  std::ifstream calls_in(count_file);
  uint64_t calls = 0;
  ASSERT_TRUE(calls_in >> calls) << "the workload wrote no count; " << run.stderr_text();
  ASSERT_EQ(calls, kCalls);

  // Every call of the workload either arrived or was counted as lost.
  EXPECT_EQ(counter.partial(), "") << "the output ends inside a line";
  EXPECT_EQ(counter.other_lines(), 0u) << "first: " << counter.first_other_line();
  EXPECT_EQ(counter.records() + counter.lost(), calls)
      << counter.records() << " printed, " << counter.lost() << " lost";
  EXPECT_GT(counter.records(), 0u);

  // Flat memory: the largest sample of the last half is at most the
  // largest of the first quarter plus 2 MiB. By the end of the first
  // quarter every page of the ring buffer is resident and the output
  // buffers have their size. One leaked allocation per printed record, 32
  // bytes or more with glibc's malloc, would add tens of MB over the last
  // half, while the allocator's page-level changes stay well below 2 MiB.
  ASSERT_GE(resident_kib.size(), 8u) << "the run was too short to sample";
  size_t quarter = resident_kib.size() / 4;
  size_t half = resident_kib.size() / 2;
  long first_quarter_max = MaxOf(resident_kib, 0, quarter);
  long last_half_max = MaxOf(resident_kib, half, resident_kib.size());
#ifdef __SANITIZE_ADDRESS__
  // AddressSanitizer keeps freed memory in quarantine, up to 256 MB by
  // default, so RSS grows under it without a leak. LeakSanitizer checks
  // for leaks in this build, and the plain build checks flat memory.
  std::cout << "soak: not checking VmRSS under AddressSanitizer\n";
#else
  constexpr long kMarginKib = 2048;
  EXPECT_LE(last_half_max, first_quarter_max + kMarginKib)
      << "nubpf-run's VmRSS grew while it streamed";
#endif

  std::cout << "soak: " << calls << " calls, " << counter.records() << " printed, "
            << counter.lost() << " lost, " << elapsed.count() << " ms; VmRSS KiB: "
            << resident_kib.size() << " samples, first " << resident_kib.front()
            << ", max of first quarter " << first_quarter_max << ", max of last half "
            << last_half_max << ", last " << resident_kib.back() << "\n";
}

}  // namespace
}  // namespace nubpf::testing
