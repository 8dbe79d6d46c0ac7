// `cmake --install` into a temporary prefix, then the sample project
// samples/embedding built against it as a user would: with CMake through
// find_package(nubpf) and nubpf_add_probe(), and with Make through the
// installed pattern rules and pkg-config. Each build runs the program,
// which embeds its probe, and rebuilds to check what a change recompiles.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

namespace fs = std::filesystem;

// A second probe, to check that touching one probe file rebuilds only its
// outputs.
constexpr char kExtraProbe[] =
    "use nubpf *\n"
    "probe tracepoint:syscalls:sys_enter_getppid {|e| count }\n";

class Install : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    prefix_ = std::make_unique<TempDir>();
    install_ = std::make_unique<RunResult>(RunToExit(
        {NUBPF_CMAKE_COMMAND, "--install", NUBPF_BINARY_DIR, "--prefix", prefix_->path()},
        std::chrono::seconds(120)));
  }
  static void TearDownTestSuite() {
    prefix_.reset();
    install_.reset();
  }

  void SetUp() override {
    ASSERT_EQ(install_->exit_code, 0) << install_->out << install_->err;
  }

  // Copies samples/embedding into a fresh folder of `dir`, so that builds
  // and touches leave the source tree alone.
  static std::string CopySample(const TempDir& dir) {
    std::string copy = dir.File("embedding");
    fs::copy(SourcePath("samples/embedding"), copy, fs::copy_options::recursive);
    return copy;
  }

  // Sets a file's modification time to now, as `touch` does.
  static void Touch(const std::string& path) {
    fs::last_write_time(path, fs::file_time_type::clock::now());
  }

  static std::unique_ptr<TempDir> prefix_;
  static std::unique_ptr<RunResult> install_;
};

std::unique_ptr<TempDir> Install::prefix_;
std::unique_ptr<RunResult> Install::install_;

TEST_F(Install, InstallsToolsLibraryAndPackage) {
  for (const char* file :
       {"bin/nubpfc", "bin/nubpf-run", "lib/libnubpf_runtime.a",
        "include/nubpf/runtime/session.h", "include/nubpf/runtime/skeleton_support.h",
        "lib/cmake/nubpf/nubpfConfig.cmake", "lib/cmake/nubpf/nubpfConfigVersion.cmake",
        "lib/cmake/nubpf/NubpfProbe.cmake", "lib/pkgconfig/nubpf.pc", "share/nubpf/nubpf.mk",
        "share/doc/nubpf/README.md", "share/doc/nubpf/language.md",
        "share/doc/nubpf/runtime-api.md"}) {
    EXPECT_TRUE(fs::exists(prefix_->File(file))) << file;
  }
}

TEST_F(Install, CMakeProjectBuildsAndRuns) {
  TempDir dir;
  std::string project = CopySample(dir);
  std::ofstream(project + "/extra.nu") << kExtraProbe;
  std::ofstream(project + "/CMakeLists.txt", std::ios::app)
      << "nubpf_add_probe(extra_probe SOURCES extra.nu)\n";

  std::string build = dir.File("build");
  RunResult configured = RunToExit({NUBPF_CMAKE_COMMAND, "-S", project, "-B", build,
                                    "-DCMAKE_PREFIX_PATH=" + prefix_->path()});
  ASSERT_EQ(configured.exit_code, 0) << configured.out << configured.err;
  RunResult built = RunToExit({NUBPF_CMAKE_COMMAND, "--build", build}, std::chrono::seconds(300));
  ASSERT_EQ(built.exit_code, 0) << built.out << built.err;
  EXPECT_TRUE(fs::exists(build + "/opencount_probe/opencount.bpf.o"));
  EXPECT_TRUE(fs::exists(build + "/extra_probe/extra.bpf.o"));

  RunResult run = RunToExit({build + "/opencount", "cat", "/etc/hostname"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("  /etc/hostname\n"), std::string::npos) << run.out;

  // Nothing changed: nothing is compiled.
  RunResult again = RunToExit({NUBPF_CMAKE_COMMAND, "--build", build});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out.find("Compiling probe"), std::string::npos) << again.out;
  EXPECT_EQ(again.out.find("Building CXX"), std::string::npos) << again.out;

  // One probe file changed: only its outputs are compiled.
  Touch(project + "/extra.nu");
  RunResult touched = RunToExit({NUBPF_CMAKE_COMMAND, "--build", build});
  ASSERT_EQ(touched.exit_code, 0) << touched.err;
  EXPECT_NE(touched.out.find("Compiling probe extra.nu into extra.bpf.o"), std::string::npos)
      << touched.out;
  EXPECT_EQ(touched.out.find("Compiling probe opencount.nu"), std::string::npos) << touched.out;
  EXPECT_EQ(touched.out.find("Building CXX"), std::string::npos) << touched.out;
}

// Mistakes in a nubpf_add_probe() call fail at configure time, with the
// call named, not later as a build rule that Make cannot find.
TEST_F(Install, ProbeCallMistakesFailConfigure) {
  struct Case {
    const char* call;
    const char* expected;
  };
  for (const Case& mistake :
       {Case{"nubpf_add_probe(typo_probe SOURCES extra.nu BTF no-such.btf)",
             "nubpf_add_probe(typo_probe): BTF file"},
        Case{"nubpf_add_probe(twice_probe SOURCES extra.nu other/extra.nu)",
             "two probe files are named extra.nu"}}) {
    TempDir dir;
    std::string project = CopySample(dir);
    fs::create_directory(project + "/other");
    std::ofstream(project + "/extra.nu") << kExtraProbe;
    std::ofstream(project + "/other/extra.nu") << kExtraProbe;
    std::ofstream(project + "/CMakeLists.txt", std::ios::app) << mistake.call << "\n";

    RunResult configured = RunToExit({NUBPF_CMAKE_COMMAND, "-S", project, "-B",
                                      dir.File("build"),
                                      "-DCMAKE_PREFIX_PATH=" + prefix_->path()});
    EXPECT_NE(configured.exit_code, 0) << mistake.call;
    EXPECT_NE(configured.err.find(mistake.expected), std::string::npos) << configured.err;
  }
}

TEST_F(Install, MakeProjectBuildsAndRuns) {
  TempDir dir;
  std::string project = CopySample(dir);
  std::vector<std::string> make = {"/usr/bin/make", "-C", project,
                                   "NUBPF_PREFIX=" + prefix_->path()};

  RunResult built = RunToExit(make, std::chrono::seconds(300));
  ASSERT_EQ(built.exit_code, 0) << built.out << built.err;
  EXPECT_TRUE(fs::exists(project + "/opencount.bpf.o"));
  EXPECT_TRUE(fs::exists(project + "/opencount.bpf.o.d"));

  RunResult run = RunToExit({project + "/opencount", "cat", "/etc/hostname"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("  /etc/hostname\n"), std::string::npos) << run.out;

  // Nothing changed: nothing is compiled.
  RunResult again = RunToExit(make);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out.find("nubpfc"), std::string::npos) << again.out;

  // The probe changed: its object, its skeleton and the program that
  // includes the skeleton are built again.
  Touch(project + "/opencount.nu");
  RunResult touched = RunToExit(make);
  ASSERT_EQ(touched.exit_code, 0) << touched.err;
  EXPECT_NE(touched.out.find("-o opencount.bpf.o"), std::string::npos) << touched.out;
  EXPECT_NE(touched.out.find("-o opencount.skel.h"), std::string::npos) << touched.out;
  EXPECT_NE(touched.out.find("-o opencount "), std::string::npos) << touched.out;
}

}  // namespace
}  // namespace nubpf::testing
