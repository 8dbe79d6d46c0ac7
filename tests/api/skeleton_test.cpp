// A skeleton header as a program uses it: CMake runs `nubpfc --emit
// skeleton` on tests/api/fixtures/getppid_count.nu at build time, and this
// test sets the probe's parameters through the typed setters, attaches it
// and reads its aggregations and global through the typed readers.

#include <chrono>
#include <type_traits>
#include <utility>

#include "getppid_count.skel.h"
#include "gtest/gtest.h"
#include "tests/support/getppid_child.h"

namespace nubpf::testing {
namespace {

constexpr char kChildComm[] = "nubpf_skeleton";

// True when a bool parameter's setter takes a string literal, which C++
// would turn into `true`: the skeleton deletes that overload.
template <typename Probe, typename = void>
struct BoolSetterTakesText : std::false_type {};
template <typename Probe>
struct BoolSetterTakesText<
    Probe, std::void_t<decltype(std::declval<Probe&>().set_enabled("false"))>>
    : std::true_type {};
static_assert(!BoolSetterTakesText<getppid_count_probe::Probe>::value,
              "set_enabled(\"false\") must not compile");

TEST(Skeleton, SetsParametersAndReadsMaps) {
  auto probe = getppid_count_probe::Probe::Open();
  ASSERT_TRUE(probe) << probe.error().message;
  getppid_count_probe::Probe& counter = **probe;

  ASSERT_FALSE(counter.set_comm(kChildComm));
  ASSERT_FALSE(counter.set_enabled(true));
  ASSERT_FALSE(counter.set_n(1));
  ASSERT_FALSE(counter.set_wait(std::chrono::milliseconds(2)));
  ASSERT_FALSE(counter.set_limit(4096));
  auto attached = counter.Attach();
  ASSERT_FALSE(attached) << attached->message << "\n" << attached->help;

  for (int i = 0; i < 3; ++i) {
    GetppidChild child(kChildComm);
    ASSERT_TRUE(child.WaitForCall());
    ASSERT_TRUE(child.Finish());
  }
  ASSERT_FALSE(counter.Stop());

  auto by_comm = counter.read_count_by_comm();
  ASSERT_TRUE(by_comm) << by_comm.error().message;
  ASSERT_EQ(by_comm->size(), 1u);
  EXPECT_EQ(by_comm->at(0).key.comm, kChildComm);
  EXPECT_EQ(by_comm->at(0).value.count, 3u);

  auto seen = counter.read_calls_seen();
  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_EQ(seen->count, 3u);

  auto calls = counter.read_calls();
  ASSERT_TRUE(calls) << calls.error().message;
  EXPECT_EQ(*calls, 3);
}

TEST(Skeleton, DefaultsKeepTheProbeOff) {
  auto probe = getppid_count_probe::Probe::Open();
  ASSERT_TRUE(probe) << probe.error().message;
  ASSERT_FALSE((*probe)->set_comm(kChildComm));
  ASSERT_FALSE((*probe)->Attach());

  GetppidChild child(kChildComm);
  ASSERT_TRUE(child.WaitForCall());
  ASSERT_TRUE(child.Finish());
  ASSERT_FALSE((*probe)->Stop());

  auto calls = (*probe)->read_calls();
  ASSERT_TRUE(calls) << calls.error().message;
  EXPECT_EQ(*calls, 0);
  auto by_comm = (*probe)->read_count_by_comm();
  ASSERT_TRUE(by_comm) << by_comm.error().message;
  EXPECT_TRUE(by_comm->empty());
}

TEST(Skeleton, SetterChecksTheValue) {
  auto probe = getppid_count_probe::Probe::Open();
  ASSERT_TRUE(probe) << probe.error().message;
  // A string longer than --max-strlen leaves no room in `.rodata`.
  auto long_comm = (*probe)->set_comm(std::string(300, 'x'));
  ASSERT_TRUE(long_comm);
  EXPECT_NE(long_comm->message.find("--comm"), std::string::npos) << long_comm->message;
}

}  // namespace
}  // namespace nubpf::testing
