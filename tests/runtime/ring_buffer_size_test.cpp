#include "runtime/ring_buffer_size.h"

#include <gtest/gtest.h>

#include <string>

namespace nubpf::runtime {
namespace {

constexpr uint64_t kPage = 4096;

std::string Help(std::string_view text, uint64_t page_size = kPage) {
  ErrorOr<uint32_t> size = ParseRingBufferSize(text, page_size);
  EXPECT_FALSE(size.ok()) << text;
  if (size.ok()) return "";
  EXPECT_EQ(size.error().exit_code, ExitCode::kUsage);
  return size.error().message + "\n" + size.error().help;
}

TEST(RingBufferSizeTest, AcceptsPowersOfTwoInAnyUnit) {
  EXPECT_EQ(*ParseRingBufferSize("4096", kPage), 4096u);
  EXPECT_EQ(*ParseRingBufferSize("256kib", kPage), 262144u);
  EXPECT_EQ(*ParseRingBufferSize("1MiB", kPage), 1048576u);
  EXPECT_EQ(*ParseRingBufferSize("8192b", kPage), 8192u);
  EXPECT_EQ(*ParseRingBufferSize("2gib", kPage), 2147483648u);
}

TEST(RingBufferSizeTest, NotPowerOfTwoGivesNearest) {
  std::string text = Help("300kb");
  EXPECT_NE(text.find("invalid --ringbuf-size `300kb`: 300000 bytes is not a power of two"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("the nearest are `256kib` (262144 bytes) and `512kib` (524288 bytes)"),
            std::string::npos)
      << text;
}

TEST(RingBufferSizeTest, BelowPageSizeGivesPageSize) {
  std::string text = Help("1kib");
  EXPECT_NE(text.find("1024 bytes is less than the page size"), std::string::npos) << text;
  EXPECT_NE(text.find("the nearest is `4kib` (4096 bytes)"), std::string::npos) << text;

  // A power of two is not enough on a system with larger pages.
  text = Help("8kib", 16384);
  EXPECT_NE(text.find("page size, 16384 bytes; the nearest is `16kib`"), std::string::npos)
      << text;
}

TEST(RingBufferSizeTest, AboveLimitGivesLargest) {
  std::string text = Help("4gib");
  EXPECT_NE(text.find("is more than 2 GiB"), std::string::npos) << text;
  EXPECT_NE(text.find("the largest is `2gib` (2147483648 bytes)"), std::string::npos) << text;
}

TEST(RingBufferSizeTest, RejectsZeroNegativeAndText) {
  EXPECT_NE(Help("0").find("the size must be above 0"), std::string::npos);
  EXPECT_NE(Help("-4096").find("the size must be above 0"), std::string::npos);
  std::string text = Help("big");
  EXPECT_NE(text.find("invalid --ringbuf-size `big`: expected a file size"), std::string::npos)
      << text;
  EXPECT_NE(text.find("`256kib` (the default)"), std::string::npos) << text;
  EXPECT_NE(Help("").find("expected a file size"), std::string::npos);
  EXPECT_NE(Help("1.5mib").find("expected a file size"), std::string::npos);
}

TEST(RingBufferSizeTest, SizeTextUsesLargestUnit) {
  EXPECT_EQ(RingBufferSizeText(4096), "4kib");
  EXPECT_EQ(RingBufferSizeText(262144), "256kib");
  EXPECT_EQ(RingBufferSizeText(1048576), "1mib");
  EXPECT_EQ(RingBufferSizeText(uint64_t{1} << 31), "2gib");
}

}  // namespace
}  // namespace nubpf::runtime
