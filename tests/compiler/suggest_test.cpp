// NearestName: "did you mean" suggestions within a third of the name.
#include "compiler/suggest.h"

#include "gtest/gtest.h"

namespace nubpf::compiler {
namespace {

TEST(NearestName, SuggestsCloseName) {
  EXPECT_EQ(NearestName("cuont", {"histogram", "count", "emit"}), "count");
}

TEST(NearestName, FirstOfEqualDistancesWins) {
  EXPECT_EQ(NearestName("pix", {"pid", "tid", "pic"}), "pid");
}

TEST(NearestName, CloserLaterNameWins) {
  EXPECT_EQ(NearestName("vfs_reed", {"vfs_write", "vfs_read"}), "vfs_read");
}

TEST(NearestName, NothingCloseEnough) {
  EXPECT_EQ(NearestName("x", {"y", "pid"}), "");
  EXPECT_EQ(NearestName("completely", {"different", "names"}), "");
}

TEST(NearestName, LengthAloneRulesOutCandidates) {
  EXPECT_EQ(NearestName("do_sys_open", {"do_sys_openat2_with_a_long_suffix", "do_sys_opn"}),
            "do_sys_opn");
}

// A long name among many short ones: only a near-equal length can match.
TEST(NearestName, LongNameAgainstShortNames) {
  std::string name(4000, 'a');
  std::vector<std::string> candidates(1000, "do_sys_open");
  candidates.push_back(std::string(3999, 'a') + "b");
  EXPECT_EQ(NearestName(name, candidates), candidates.back());
}

TEST(NearestName, EmptyName) {
  EXPECT_EQ(NearestName("", {"a", ""}), "");
}

}  // namespace
}  // namespace nubpf::compiler
