// biolatency against the kernel: the test writes a file with O_DIRECT and
// O_DSYNC, so that each write waits for one or more requests to the disk
// under the test's temporary folder, and the histograms count at least
// that many requests.

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "gtest/gtest.h"
#include "tests/support/sample_run.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr int kWrites = 16;
constexpr size_t kBlock = 4096;

bool WriteDirect(const std::string& path) {
  int fd = open(path.c_str(), O_CREAT | O_WRONLY | O_DIRECT | O_DSYNC, 0600);
  if (fd < 0) return false;
  void* buffer = nullptr;
  // O_DIRECT needs a buffer aligned to the device's logical block size.
  if (posix_memalign(&buffer, kBlock, kBlock) != 0) {
    close(fd);
    return false;
  }
  memset(buffer, 'x', kBlock);
  bool written = true;
  for (int i = 0; i < kWrites && written; ++i) {
    written = pwrite(fd, buffer, kBlock, static_cast<off_t>(i * kBlock)) ==
              static_cast<ssize_t>(kBlock);
  }
  free(buffer);
  close(fd);
  return written;
}

TEST(Biolatency, CountsDirectWritesToDisk) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  struct stat folder{};
  ASSERT_EQ(stat(dir.path().c_str(), &folder), 0);
  // Major number 0 belongs to the kernel's anonymous devices, such as tmpfs
  // and overlayfs, whose writes never reach a block device.
  if (major(folder.st_dev) == 0) GTEST_SKIP() << dir.path() << " is not on a block device";

  std::string file = dir.File("direct");
  SampleRun run = RunSample("biolatency", {"--format", "json"}, [&] { return WriteDirect(file); });
  ASSERT_EQ(run.error, "");

  std::string error;
  std::vector<nlohmann::json> buckets = AggregationRecords(run.output, "block_io_latency", &error);
  ASSERT_EQ(error, "");
  int64_t requests = 0;
  for (const nlohmann::json& bucket : buckets) {
    // The requests go to the disk, which is another device than the file
    // system's under a partition or device mapper, so every device counts.
    requests += bucket.at("count").get<int64_t>();
    ASSERT_TRUE(bucket.at("from").is_number_integer()) << bucket;
    EXPECT_GT(bucket.at("from").get<int64_t>(), 0) << bucket;
  }
  EXPECT_GE(requests, kWrites) << run.output;
}

}  // namespace
}  // namespace nubpf::testing
