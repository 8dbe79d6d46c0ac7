// runqlat against the kernel: threads with a known name sleep a known
// number of times, and most of their wakeups end in an entry of the run
// queue latency histogram.

#include <pthread.h>

#include <chrono>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/sample_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr char kThreadName[] = "nubpf_runq";
constexpr int kThreads = 4;
constexpr int kSleeps = 20;

// A sleeping thread leaves the CPU, and a wakeup must put it on the run
// queue before it runs again, so a sleep gives one latency. A wakeup that
// comes before the thread has left the CPU gives none, because the thread
// goes on running without a switch.
bool SleepInThreads() {
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([] {
      pthread_setname_np(pthread_self(), kThreadName);
      for (int sleep = 0; sleep < kSleeps; ++sleep) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  return true;
}

TEST(Runqlat, CountsWakeupsOfNamedThreads) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  SampleRun run = RunSample("runqlat", {"--format", "json", "--comm", kThreadName}, SleepInThreads);
  ASSERT_EQ(run.error, "");

  std::string error;
  std::vector<nlohmann::json> buckets =
      AggregationRecords(run.output, "run_queue_latency", &error);
  ASSERT_EQ(error, "");
  ASSERT_FALSE(buckets.empty()) << run.output;
  int64_t latencies = 0;
  for (const nlohmann::json& bucket : buckets) {
    latencies += bucket.at("count").get<int64_t>();
    // A latency is a time since an event in the past, never in the bucket
    // of negative values, whose `from` is null.
    ASSERT_TRUE(bucket.at("from").is_number_integer()) << bucket;
    EXPECT_GE(bucket.at("from").get<int64_t>(), 0) << bucket;
  }
  // A 2 ms sleep almost always leaves the CPU first, so half of them is a
  // bound that a loaded machine keeps.
  EXPECT_GE(latencies, kThreads * kSleeps / 2) << run.output;
  EXPECT_LE(latencies, 2 * kThreads * kSleeps) << run.output;
}

}  // namespace
}  // namespace nubpf::testing
