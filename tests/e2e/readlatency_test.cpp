// readlatency against the kernel: a child with a known comm reads from a
// pipe whose writer, the test, writes each byte a known time after the
// child began to wait, so every read's latency falls in one bucket.

#include <poll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "gtest/gtest.h"
#include "tests/support/sample_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr char kChildComm[] = "nubpf_readlat";
constexpr int kReads = 5;
// The bucket [2^26 ns, 2^27 ns) is [67.1 ms, 134.2 ms). A wait of 100 ms
// leaves more than 30 ms either way for the scheduler on a loaded machine.
constexpr std::chrono::milliseconds kWait(100);
constexpr int64_t kBucketFrom = int64_t{1} << 26;
constexpr int64_t kBucketTo = int64_t{1} << 27;

// Forks the reading child and feeds it: the child writes a byte to `ready`
// right before each read(2) of `data`, and the test writes the byte that
// read returns kWait after it saw that. Raw system calls keep libc from
// adding reads.
bool ReadSlowPipe() {
  int data[2];
  int ready[2];
  if (pipe(data) != 0) return false;
  if (pipe(ready) != 0) {
    close(data[0]);
    close(data[1]);
    return false;
  }

  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    prctl(PR_SET_NAME, kChildComm);
    char byte = 0;
    for (int i = 0; i < kReads; ++i) {
      if (syscall(SYS_write, ready[1], &byte, 1) != 1) _exit(1);
      if (syscall(SYS_read, data[0], &byte, 1) != 1) _exit(2);
    }
    _exit(0);
  }
  close(data[0]);
  close(ready[1]);

  bool fed = true;
  for (int i = 0; i < kReads && fed; ++i) {
    pollfd entry{ready[0], POLLIN, 0};
    char byte = 0;
    fed = poll(&entry, 1, 10000) == 1 && read(ready[0], &byte, 1) == 1;
    std::this_thread::sleep_for(kWait);
    fed = fed && write(data[1], &byte, 1) == 1;
  }
  close(data[1]);
  close(ready[0]);

  int status = 0;
  waitpid(pid, &status, 0);
  return fed && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

TEST(Readlatency, ChildReadsInOneBucket) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  SampleRun run = RunSample("readlatency", {"--format", "json"}, ReadSlowPipe);
  ASSERT_EQ(run.error, "");

  std::string error;
  std::vector<nlohmann::json> buckets;
  for (nlohmann::json& record : AggregationRecords(run.output, "read_latency", &error)) {
    if (record.value("comm", "") == kChildComm) buckets.push_back(std::move(record));
  }
  ASSERT_EQ(error, "");
  ASSERT_EQ(buckets.size(), 1u) << run.output;
  EXPECT_EQ(buckets[0].at("from"), kBucketFrom);
  EXPECT_EQ(buckets[0].at("to"), kBucketTo);
  EXPECT_EQ(buckets[0].at("count"), kReads);
}

TEST(Readlatency, PrintsBucketInTable) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  SampleRun run = RunSample("readlatency", {}, ReadSlowPipe);
  ASSERT_EQ(run.error, "");

  std::string key = std::string("comm: ") + kChildComm + "\n";
  size_t at = run.output.find(key);
  ASSERT_NE(at, std::string::npos) << run.output;
  std::istringstream rest(run.output.substr(at + key.size()));
  std::string bucket;
  std::getline(rest, bucket);
  EXPECT_EQ(bucket.rfind("[67.108ms, 134.217ms) 5 |@@@@", 0), 0u) << run.output;
}

}  // namespace
}  // namespace nubpf::testing
