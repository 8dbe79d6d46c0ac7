#include "runtime/object_file.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/runtime/test_files.h"
#include "tests/support/subprocess.h"

namespace nubpf::runtime {
namespace {

using testing::BuildElf;
using testing::ElfOptions;

class ObjectFileTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& contents) {
    std::string path = dir_.File(name);
    testing::WriteFile(path, contents);
    return path;
  }

  // Returns the error message for `path`, or "" when it was accepted.
  std::string ErrorFor(const std::string& path) {
    ErrorOr<ObjectFileInfo> info = InspectObjectFile(path);
    return info.ok() ? "" : info.error().message;
  }

  nubpf::testing::TempDir dir_;
};

TEST_F(ObjectFileTest, ReadsNubpfSection) {
  ElfOptions options;
  options.nubpf_section = std::string("nubpf\t1\nsource\tx.nu\n\0\0", 22);
  ErrorOr<ObjectFileInfo> info =
      InspectObjectFile(Write("a.o", BuildElf(options)));
  ASSERT_TRUE(info.ok()) << info.error().message;
  ASSERT_TRUE(info->nubpf_section.has_value());
  EXPECT_EQ(*info->nubpf_section, "nubpf\t1\nsource\tx.nu\n");
}

TEST_F(ObjectFileTest, ReportsMissingSectionAsNullopt) {
  ErrorOr<ObjectFileInfo> info =
      InspectObjectFile(Write("plain.o", BuildElf(ElfOptions())));
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_FALSE(info->nubpf_section.has_value());
}

TEST_F(ObjectFileTest, RejectsMissingFile) {
  std::string error = ErrorFor(dir_.File("missing.bpf.o"));
  EXPECT_NE(
      error.find("cannot open `" + dir_.File("missing.bpf.o") + "`: no such file"),
      std::string::npos)
      << error;
}

TEST_F(ObjectFileTest, RejectsDirectory) {
  EXPECT_NE(ErrorFor(dir_.path()).find("a directory, not a file"), std::string::npos);
}

TEST_F(ObjectFileTest, RejectsTextFile) {
  std::string error = ErrorFor(Write("notes.txt", "probe tracepoint:a:b {}\n"));
  EXPECT_NE(error.find("not an ELF file"), std::string::npos) << error;
}

TEST_F(ObjectFileTest, RejectsEmptyFile) {
  std::string error = ErrorFor(Write("empty.o", ""));
  EXPECT_NE(error.find("the file is empty, so not a BPF object"), std::string::npos) << error;
}

TEST_F(ObjectFileTest, RejectsTruncatedFile) {
  ElfOptions options;
  options.nubpf_section = "nubpf\t1\n";
  std::string whole = BuildElf(options);
  std::string error = ErrorFor(Write("cut.o", whole.substr(0, whole.size() - 1)));
  EXPECT_NE(error.find("the file is truncated: its section header table ends at byte"),
            std::string::npos)
      << error;
}

TEST_F(ObjectFileTest, RejectsHostExecutable) {
  std::string error = ErrorFor("/bin/true");
  EXPECT_NE(error.find("not a BPF object"), std::string::npos) << error;
  EXPECT_NE(error.find("e_machine is"), std::string::npos) << error;
}

TEST_F(ObjectFileTest, RejectsOtherMachine) {
  ElfOptions options;
  options.machine = EM_AARCH64;
  std::string error = ErrorFor(Write("arm.o", BuildElf(options)));
  EXPECT_NE(error.find("an ELF file for AArch64, not a BPF object "
                       "(e_machine is 183, BPF is 247)"),
            std::string::npos)
      << error;
}

TEST_F(ObjectFileTest, RejectsBigEndianBpf) {
  ElfOptions options;
  options.data = ELFDATA2MSB;
  std::string error = ErrorFor(Write("be.o", BuildElf(options)));
  EXPECT_NE(error.find("big-endian"), std::string::npos) << error;
}

TEST_F(ObjectFileTest, RejectsElf32) {
  ElfOptions options;
  options.elf_class = ELFCLASS32;
  std::string error = ErrorFor(Write("32.o", BuildElf(options)));
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace nubpf::runtime
