#include "runtime/elf_bounds.h"

#include <gtest/gtest.h>

#include "tests/runtime/test_files.h"

namespace nubpf::runtime {
namespace {

std::string ObjectWithMetadata() {
  testing::ElfOptions options;
  options.nubpf_section = "nubpf\t3\nsource\tx.nu\n";
  return testing::BuildElf(options);
}

TEST(ElfBounds, WholeFileIsNotTruncated) {
  EXPECT_EQ(FindTruncation(ObjectWithMetadata()), std::nullopt);
}

TEST(ElfBounds, CutInsideHeader) {
  std::string file = ObjectWithMetadata();
  EXPECT_EQ(FindTruncation(file.substr(0, 10)),
            "it ends inside the ELF header, after 10 of the header's 64 bytes");
  EXPECT_EQ(FindTruncation(file.substr(0, 63)),
            "it ends inside the ELF header, after 63 of the header's 64 bytes");
}

TEST(ElfBounds, CutInsideSectionHeaderTable) {
  std::string file = ObjectWithMetadata();
  std::string cut = file.substr(0, file.size() - 10);
  EXPECT_EQ(FindTruncation(cut), "its section header table ends at byte " +
                                     std::to_string(file.size()) + ", but the file has " +
                                     std::to_string(cut.size()) + " bytes");
}

// A section that starts past the end of a file whose header table is
// whole is named.
TEST(ElfBounds, SectionPastEndIsNamed) {
  std::string file = ObjectWithMetadata();
  Elf64_Ehdr header;
  std::memcpy(&header, file.data(), sizeof(header));
  size_t nubpf_header = header.e_shoff + 2 * sizeof(Elf64_Shdr);
  Elf64_Shdr nubpf;
  std::memcpy(&nubpf, file.data() + nubpf_header, sizeof(nubpf));
  nubpf.sh_offset = file.size() - 4;
  std::memcpy(file.data() + nubpf_header, &nubpf, sizeof(nubpf));

  EXPECT_EQ(FindTruncation(file), "section `.nubpf` ends at byte " +
                                      std::to_string(file.size() - 4 + nubpf.sh_size) +
                                      ", but the file has " + std::to_string(file.size()) +
                                      " bytes");
}

TEST(ElfBounds, OtherClassesAreLeftToHeaderChecks) {
  testing::ElfOptions options;
  options.elf_class = ELFCLASS32;
  EXPECT_EQ(FindTruncation(testing::BuildElf(options).substr(0, 40)), std::nullopt);
  options.elf_class = ELFCLASS64;
  options.data = ELFDATA2MSB;
  EXPECT_EQ(FindTruncation(testing::BuildElf(options)), std::nullopt);
}

}  // namespace
}  // namespace nubpf::runtime
