// The benchmark's programs (bench/programs/NAME/) compile with nubpfc and
// come in all three versions, so `make bench` does not fail halfway through
// a ten-minute run. Nothing here is timed: the measurements live in bench/.

#include <filesystem>
#include <string>

#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

namespace fs = std::filesystem;

TEST(BenchPrograms, CompileWithNubpfc) {
  TempDir dir;
  size_t programs = 0;
  for (const auto& entry : fs::directory_iterator(SourcePath("bench/programs"))) {
    std::string name = entry.path().filename().string();
    fs::path base = entry.path() / name;
    EXPECT_TRUE(fs::exists(base.string() + ".bt")) << name << " has no bpftrace version";
    EXPECT_TRUE(fs::exists(base.string() + ".bpf.c")) << name << " has no C version";
    EXPECT_EQ(Compile(base.string() + ".nu", dir.File(name + ".bpf.o")), "") << name;
    ++programs;
  }
  EXPECT_GE(programs, 6u);
}

}  // namespace
}  // namespace nubpf::testing
