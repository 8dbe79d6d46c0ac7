// User stack frames: /proc/PID/maps lines, and names read from the ELF
// files that this test process itself has mapped.

#include "runtime/user_symbols.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/runtime/test_files.h"
#include "tests/support/subprocess.h"

// Functions of this binary with known names. `noipa` keeps each a
// function of its own that nothing inlines or merges.
extern "C" __attribute__((noipa)) int nubpf_stack_test_marker(int value) {
  return value * 3 + 1;
}

namespace nubpf_stack_test {
__attribute__((noipa)) int Twice(int value) { return value * 2; }
}  // namespace nubpf_stack_test

namespace nubpf::runtime {
namespace {

uint64_t AddressOf(const void* function) { return reinterpret_cast<uint64_t>(function); }

std::string ToHex(uint64_t value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%llx", static_cast<unsigned long long>(value));
  return text;
}

TEST(MemoryMaps, ParsesMapsLines) {
  std::vector<MemoryMapping> mappings = ParseMemoryMaps(
      "55d0c3a00000-55d0c3a01000 r--p 00000000 fe:01 1835  /usr/bin/stack target\n"
      "7f3a1c028000-7f3a1c1bd000 r-xp 00028000 fe:01 2000 /usr/lib/libc.so.6 (deleted)\n"
      "7f3a1c200000-7f3a1c201000 rw-p 00000000 00:00 0 \n"
      "7ffd5a1f0000-7ffd5a1f2000 r-xp 00000000 00:00 0                          [vdso]\n"
      "not a maps line\n"
      "12-zz r-xp 0 00:00 0 /bad/end\n");
  ASSERT_EQ(mappings.size(), 4u);
  EXPECT_EQ(mappings[0].start, 0x55d0c3a00000u);
  EXPECT_EQ(mappings[0].end, 0x55d0c3a01000u);
  EXPECT_EQ(mappings[0].offset, 0u);
  EXPECT_EQ(mappings[0].path, "/usr/bin/stack target");
  EXPECT_EQ(mappings[1].offset, 0x28000u);
  EXPECT_EQ(mappings[1].path, "/usr/lib/libc.so.6 (deleted)");
  EXPECT_EQ(mappings[2].path, "");
  EXPECT_EQ(mappings[3].path, "[vdso]");
}

TEST(UserSymbols, NamesFunctionsOfThisProcess) {
  UserSymbols symbols;
  uint32_t pid = static_cast<uint32_t>(getpid());
  uint64_t marker = AddressOf(reinterpret_cast<const void*>(&nubpf_stack_test_marker));
  uint64_t twice = AddressOf(reinterpret_cast<const void*>(&nubpf_stack_test::Twice));

  EXPECT_EQ(symbols.NameFrames(pid, {twice, marker + 3, marker + 1}),
            (std::vector<std::string>{"nubpf_stack_test::Twice(int)+0x0",
                                      "nubpf_stack_test_marker+0x3",
                                      "nubpf_stack_test_marker+0x1"}));

  // The top frame is looked up where it is, later ones 1 byte lower: a
  // return address at a function's first byte is in the code before it.
  std::vector<std::string> names = symbols.NameFrames(pid, {marker, twice});
  EXPECT_EQ(names[0], "nubpf_stack_test_marker+0x0");
  EXPECT_NE(names[1].rfind("nubpf_stack_test::Twice", 0), 0u) << names[1];
}

TEST(UserSymbols, NamesStrippedLibraryByDynamicSymbols) {
  // Debian's libc.so.6 has no `.symtab`, so its `.dynsym` names getppid.
  UserSymbols symbols;
  uint64_t getppid_address = AddressOf(reinterpret_cast<const void*>(&getppid));
  std::vector<std::string> names =
      symbols.NameFrames(static_cast<uint32_t>(getpid()), {getppid_address});
  EXPECT_EQ(names, std::vector<std::string>{"getppid+0x0"});
}

// A /proc folder of fake processes, whose maps tests write.
class FakeProc : public ::testing::Test {
 protected:
  void WriteMaps(uint32_t pid, const std::string& text) {
    std::filesystem::create_directories(dir_.File(std::to_string(pid)));
    testing::WriteFile(dir_.File(std::to_string(pid) + "/maps"), text);
  }

  // Returns the line of this process's maps that maps `address`.
  static std::string OwnMapsLine(uint64_t address) {
    std::ifstream maps("/proc/self/maps");
    for (std::string line; std::getline(maps, line);) {
      std::vector<MemoryMapping> mapping = ParseMemoryMaps(line);
      if (!mapping.empty() && address >= mapping[0].start && address < mapping[0].end) {
        return line + "\n";
      }
    }
    return "";
  }

  nubpf::testing::TempDir dir_;
};

TEST_F(FakeProc, ExitedProcessKeepsMapsReadBefore) {
  uint64_t marker = AddressOf(reinterpret_cast<const void*>(&nubpf_stack_test_marker));
  WriteMaps(77, OwnMapsLine(marker));
  UserSymbols symbols(dir_.path());
  EXPECT_EQ(symbols.NameFrames(77, {marker + 2}),
            std::vector<std::string>{"nubpf_stack_test_marker+0x2"});

  // The process is gone: an address outside the maps stays a number, and
  // the maps read before still name the others.
  std::filesystem::remove(dir_.File("77/maps"));
  EXPECT_EQ(symbols.NameFrames(77, {0x10, marker + 2}),
            (std::vector<std::string>{"0x10", "nubpf_stack_test_marker+0x2"}));
}

TEST_F(FakeProc, OldestProcessMapsAreForgotten) {
  uint64_t marker = AddressOf(reinterpret_cast<const void*>(&nubpf_stack_test_marker));
  std::string line = OwnMapsLine(marker);
  UserSymbols symbols(dir_.path(), /*max_cached_processes=*/3);
  uint32_t last = 3;
  for (uint32_t pid = 0; pid <= last; ++pid) {
    WriteMaps(pid, line);
    symbols.NameFrames(pid, {marker});
    std::filesystem::remove(dir_.File(std::to_string(pid) + "/maps"));
  }
  // Process 0 was read first, and its maps made room for the last one's.
  EXPECT_EQ(symbols.NameFrames(0, {marker}), std::vector<std::string>{"0x" + ToHex(marker)});
  EXPECT_EQ(symbols.NameFrames(1, {marker}),
            std::vector<std::string>{"nubpf_stack_test_marker+0x0"});
  EXPECT_EQ(symbols.NameFrames(last, {marker}),
            std::vector<std::string>{"nubpf_stack_test_marker+0x0"});
}

TEST_F(FakeProc, UnknownProcessShowsAddresses) {
  UserSymbols symbols(dir_.path());
  EXPECT_EQ(symbols.NameFrames(99, {0x7f3a1c03a1c9, 0x1}),
            (std::vector<std::string>{"0x7f3a1c03a1c9", "0x1"}));
}

TEST_F(FakeProc, FileWithoutSymbolsShowsItsPath) {
  std::string text_file = dir_.File("not-elf");
  testing::WriteFile(text_file, "plain text, not an ELF file\n");
  WriteMaps(78,
            "1000-2000 r-xp 00000000 fe:01 1 " + text_file + "\n"
            "3000-4000 r-xp 00000000 00:00 0 [vdso]\n"
            "5000-6000 rw-p 00000000 00:00 0\n");
  UserSymbols symbols(dir_.path());
  EXPECT_EQ(symbols.NameFrames(78, {0x1800, 0x3010, 0x5010, 0x9000}),
            (std::vector<std::string>{"0x1800 (" + text_file + ")", "0x3010 ([vdso])", "0x5010",
                                      "0x9000"}));
}

}  // namespace
}  // namespace nubpf::runtime
