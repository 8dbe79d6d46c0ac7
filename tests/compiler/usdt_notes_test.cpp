// USDT probes of the test program's builds, of libstdc++, and of
// hand-written ELF files, checked against readelf.

#include "compiler/usdt_notes.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "gtest/gtest.h"
#include "tests/compiler/elf_test_files.h"
#include "tests/support/subprocess.h"

namespace nubpf::compiler {
namespace {

using testing::MinimalTestElf;
using testing::StapsdtNote;
using testing::TempDir;
using testing::TestElf;
using testing::TestSection;
using testing::WriteTestElf;

constexpr char kLibstdcxx[] = "/lib/x86_64-linux-gnu/libstdc++.so.6";

const char* const kTestBuilds[] = {NUBPF_UPROBE_TARGET, NUBPF_UPROBE_TARGET_NOPIE,
                                   NUBPF_UPROBE_TARGET_SHARED};

UsdtProbeTable ReadTable(const std::string& path) {
  UsdtProbeTable table;
  std::string error;
  EXPECT_TRUE(ReadUsdtProbes(path, &table, &error)) << error;
  return table;
}

std::string ReadError(const std::string& path) {
  UsdtProbeTable table;
  std::string error;
  EXPECT_FALSE(ReadUsdtProbes(path, &table, &error)) << path << " was read";
  return error;
}

// Returns the only site of `provider:name`, or fails the test.
UsdtProbe FindOne(const UsdtProbeTable& table, const std::string& provider,
                  const std::string& name) {
  std::vector<UsdtProbe> sites;
  std::string error;
  EXPECT_TRUE(FindUsdtProbe(table, provider, name, &sites, &error)) << error;
  EXPECT_EQ(sites.size(), 1u) << provider << ":" << name;
  return sites.empty() ? UsdtProbe{} : sites[0];
}

TEST(UsdtNotes, MatchesReadelf) {
  for (const char* path : kTestBuilds) {
    SCOPED_TRACE(path);
    UsdtProbeTable table = ReadTable(path);
    std::vector<testing::ReadelfNote> notes = testing::ReadelfStapsdtNotes(path);
    ASSERT_EQ(table.probes.size(), notes.size());
    ASSERT_EQ(notes.size(), 8u);

    for (const testing::ReadelfNote& note : notes) {
      SCOPED_TRACE(note.provider + ":" + note.name);
      auto probe = std::find_if(table.probes.begin(), table.probes.end(),
                                [&note](const UsdtProbe& probe) { return probe.pc == note.pc; });
      ASSERT_NE(probe, table.probes.end());
      EXPECT_EQ(probe->provider, note.provider);
      EXPECT_EQ(probe->name, note.name);
      EXPECT_EQ(probe->base, note.base);
      EXPECT_EQ(probe->semaphore, note.semaphore);
      EXPECT_EQ(probe->arguments_text, note.arguments);
      EXPECT_EQ(probe->file_offset, testing::ReadelfFileOffset(path, note.pc));
      // Every probe site is a one-byte `nop`.
      EXPECT_EQ(testing::ReadFileBytes(path, probe->file_offset, 1), "\x90");
    }
  }
}

TEST(UsdtNotes, SemaphoreOffsetLiesInProbesSection) {
  for (const char* path : kTestBuilds) {
    SCOPED_TRACE(path);
    UsdtProbeTable table = ReadTable(path);
    UsdtProbe probe = FindOne(table, "nubpf_test", "with_semaphore");
    ASSERT_NE(probe.semaphore, 0u);
    ASSERT_NE(probe.semaphore_file_offset, 0u);

    // Computed through `.probes` instead of the segments.
    bool found = false;
    for (const testing::ReadelfSection& section : testing::ReadelfSections(path)) {
      if (section.name != ".probes") continue;
      found = true;
      EXPECT_EQ(probe.semaphore_file_offset, section.offset + probe.semaphore - section.address);
    }
    EXPECT_TRUE(found) << "readelf shows no `.probes` section";

    for (const UsdtProbe& other : table.probes) {
      if (other.name == "with_semaphore") continue;
      EXPECT_EQ(other.semaphore, 0u) << other.name;
      EXPECT_EQ(other.semaphore_file_offset, 0u) << other.name;
    }
  }
}

TEST(UsdtNotes, ParsesEachArgumentKind) {
  UsdtProbeTable table = ReadTable(NUBPF_UPROBE_TARGET);

  struct ExpectedArgument {
    UsdtArgumentKind kind;
    uint8_t size;
    bool is_signed;
    uint32_t pt_regs_offset;
    int64_t displacement;
    int64_t constant;
  };
  struct ExpectedProbe {
    const char* name;
    const char* text;
    std::vector<ExpectedArgument> arguments;
  };
  const auto kRegister = UsdtArgumentKind::kRegister;
  const auto kMemory = UsdtArgumentKind::kMemory;
  const auto kConstant = UsdtArgumentKind::kConstant;
  const auto kUnsupported = UsdtArgumentKind::kUnsupported;
  const ExpectedProbe probes[] = {
      {"registers",
       "-4@%edi 8@%rsi -2@%dx 1@%cl 4@%r8d",
       {{kRegister, 4, true, 112, 0, 0},
        {kRegister, 8, false, 104, 0, 0},
        {kRegister, 2, true, 96, 0, 0},
        {kRegister, 1, false, 88, 0, 0},
        {kRegister, 4, false, 72, 0, 0}}},
      {"memory",
       "-4@8(%rbx) 8@-16(%r12) 2@(%rbx)",
       {{kMemory, 4, true, 40, 8, 0},
        {kMemory, 8, false, 24, -16, 0},
        {kMemory, 2, false, 40, 0, 0}}},
      {"constants", "4@$42 -8@$-7",
       {{kConstant, 4, false, 0, 0, 42}, {kConstant, 8, true, 0, 0, -7}}},
      {"unsupported",
       "8@(%rax,%rcx,8) 4@nubpf_test_counter(%rip) 8@%rcx",
       {{kUnsupported, 8, false, 0, 0, 0},
        {kUnsupported, 4, false, 0, 0, 0},
        {kRegister, 8, false, 88, 0, 0}}},
      {"with_semaphore", "8@%rdx", {{kRegister, 8, false, 96, 0, 0}}},
  };
  for (const ExpectedProbe& expected : probes) {
    SCOPED_TRACE(expected.name);
    UsdtProbe probe = FindOne(table, "nubpf_test", expected.name);
    EXPECT_EQ(probe.arguments_text, expected.text);
    ASSERT_EQ(probe.arguments.size(), expected.arguments.size());
    for (size_t i = 0; i < expected.arguments.size(); ++i) {
      const UsdtArgument& argument = probe.arguments[i];
      const ExpectedArgument& want = expected.arguments[i];
      SCOPED_TRACE(argument.text);
      EXPECT_EQ(argument.kind, want.kind) << argument.error;
      EXPECT_EQ(argument.size, want.size);
      EXPECT_EQ(argument.is_signed, want.is_signed);
      EXPECT_EQ(argument.pt_regs_offset, want.pt_regs_offset);
      EXPECT_EQ(argument.displacement, want.displacement);
      EXPECT_EQ(argument.constant, want.constant);
      EXPECT_EQ(argument.error.empty(), want.kind != kUnsupported) << argument.error;
    }
  }
  EXPECT_TRUE(FindOne(table, "nubpf_other", "no_arguments").arguments.empty());
}

TEST(UsdtNotes, SortsByProviderNameAndPc) {
  UsdtProbeTable table = ReadTable(NUBPF_UPROBE_TARGET);
  std::vector<std::string> names;
  for (const UsdtProbe& probe : table.probes) names.push_back(probe.provider + ":" + probe.name);
  const std::vector<std::string> expected = {
      "nubpf_other:no_arguments", "nubpf_test:constants", "nubpf_test:memory",
      "nubpf_test:registers",     "nubpf_test:twice",     "nubpf_test:twice",
      "nubpf_test:unsupported",   "nubpf_test:with_semaphore",
  };
  EXPECT_EQ(names, expected);

  std::vector<UsdtProbe> sites;
  std::string error;
  ASSERT_TRUE(FindUsdtProbe(table, "nubpf_test", "twice", &sites, &error)) << error;
  ASSERT_EQ(sites.size(), 2u);
  EXPECT_LT(sites[0].pc, sites[1].pc);
  EXPECT_LT(sites[0].file_offset, sites[1].file_offset);
}

TEST(UsdtNotes, MatchesGlobs) {
  const std::string path = NUBPF_UPROBE_TARGET;
  UsdtProbeTable table = ReadTable(path);
  std::vector<UsdtProbe> sites;
  std::string error;

  ASSERT_TRUE(MatchUsdtProbes(table, "nubpf_test", "*", 7, &sites, &error)) << error;
  EXPECT_EQ(sites.size(), 7u);
  ASSERT_TRUE(MatchUsdtProbes(table, "*", "twice", 10, &sites, &error)) << error;
  EXPECT_EQ(sites.size(), 2u);
  ASSERT_TRUE(MatchUsdtProbes(table, "nubpf_*", "no_*", 10, &sites, &error)) << error;
  ASSERT_EQ(sites.size(), 1u);
  EXPECT_EQ(sites[0].provider, "nubpf_other");
  ASSERT_TRUE(MatchUsdtProbes(table, "nubpf_test", "?????", 10, &sites, &error)) << error;
  ASSERT_EQ(sites.size(), 2u);
  EXPECT_EQ(sites[0].name, "twice");

  EXPECT_FALSE(MatchUsdtProbes(table, "nubpf_test", "*", 6, &sites, &error));
  EXPECT_EQ(error, "`nubpf_test:*` matches 7 USDT probe sites in `" + path +
                       "`, more than the limit of 6; write a narrower pattern");
  EXPECT_TRUE(sites.empty());

  EXPECT_FALSE(MatchUsdtProbes(table, "nubpf_test", "zzz*", 10, &sites, &error));
  EXPECT_EQ(error, "no USDT probe in `" + path + "` matches `nubpf_test:zzz*`");
}

TEST(UsdtNotes, FindErrors) {
  const std::string path = NUBPF_UPROBE_TARGET;
  UsdtProbeTable table = ReadTable(path);
  std::vector<UsdtProbe> sites;
  std::string error;

  EXPECT_FALSE(FindUsdtProbe(table, "nubpf_test", "missing", &sites, &error));
  EXPECT_EQ(error, "USDT probe `nubpf_test:missing` not found in `" + path + "`");
  EXPECT_FALSE(FindUsdtProbe(table, "nubpf_other", "twice", &sites, &error));
  EXPECT_EQ(error, "USDT probe `nubpf_other:twice` not found in `" + path + "`");
}

TEST(UsdtNotes, ReadsLibstdcxx) {
  if (access(kLibstdcxx, R_OK) != 0) GTEST_SKIP() << kLibstdcxx << " is missing on this system";
  UsdtProbeTable table = ReadTable(kLibstdcxx);
  std::vector<testing::ReadelfNote> notes = testing::ReadelfStapsdtNotes(kLibstdcxx);
  ASSERT_FALSE(notes.empty());
  ASSERT_EQ(table.probes.size(), notes.size());

  for (const testing::ReadelfNote& note : notes) {
    SCOPED_TRACE(note.provider + ":" + note.name);
    std::vector<UsdtProbe> sites;
    std::string error;
    ASSERT_TRUE(FindUsdtProbe(table, note.provider, note.name, &sites, &error)) << error;
    auto site = std::find_if(sites.begin(), sites.end(),
                             [&note](const UsdtProbe& probe) { return probe.pc == note.pc; });
    ASSERT_NE(site, sites.end());
    EXPECT_EQ(site->arguments_text, note.arguments);
    EXPECT_EQ(site->file_offset, testing::ReadelfFileOffset(kLibstdcxx, note.pc));
    for (const UsdtArgument& argument : site->arguments) {
      EXPECT_NE(argument.kind, UsdtArgumentKind::kUnsupported) << argument.error;
    }
  }
}

// Cases on files written here. Each has MinimalTestElf's `.text` (file
// offset 0x1000, address 0x401000, 0x100 bytes) and whatever notes it adds.
class UsdtNoteFiles : public ::testing::Test {
 protected:
  // Returns MinimalTestElf with a `.note.stapsdt` section holding `notes`.
  static TestElf ElfWithNotes(const std::string& notes, uint64_t alignment = 4) {
    TestElf elf = MinimalTestElf();
    TestSection section;
    section.name = ".note.stapsdt";
    section.type = SHT_NOTE;
    section.offset = 0x1200;
    section.data = notes;
    section.alignment = alignment;
    elf.sections.push_back(section);
    return elf;
  }

  // Adds `.stapsdt.base` at `address`, inside `.text`.
  static void AddBaseSection(TestElf* elf, uint64_t address) {
    TestSection base;
    base.name = ".stapsdt.base";
    base.flags = SHF_ALLOC;
    base.address = address;
    base.offset = address - 0x401000 + 0x1000;
    base.data = std::string(1, '\0');
    elf->sections.push_back(base);
  }

  std::string Write(const TestElf& elf, const std::string& name) {
    std::string path = directory_.File(name);
    WriteTestElf(elf, path);
    return path;
  }

  TempDir directory_;
};

TEST_F(UsdtNoteFiles, NoNotes) {
  std::string path = Write(MinimalTestElf(), "no_notes");
  UsdtProbeTable table = ReadTable(path);
  EXPECT_TRUE(table.probes.empty());

  std::vector<UsdtProbe> sites;
  std::string error;
  EXPECT_FALSE(FindUsdtProbe(table, "p", "n", &sites, &error));
  EXPECT_EQ(error, "`" + path + "` has no USDT probes: it has no `.note.stapsdt` notes");
}

TEST_F(UsdtNoteFiles, AdjustsPcForMovedBase) {
  // Prelink moved the file by 0x1000: `.stapsdt.base` is now at 0x401080,
  // but the note still records 0x400080 and a pc of 0x400010.
  TestElf elf = ElfWithNotes(StapsdtNote(0x400010, 0x400080, 0, "p", "moved", ""));
  AddBaseSection(&elf, 0x401080);
  UsdtProbeTable table = ReadTable(Write(elf, "prelinked"));
  ASSERT_EQ(table.probes.size(), 1u);
  EXPECT_EQ(table.probes[0].pc, 0x401010u);
  EXPECT_EQ(table.probes[0].base, 0x400080u);
  EXPECT_EQ(table.probes[0].file_offset, 0x1010u);
}

TEST_F(UsdtNoteFiles, KeepsPcWithoutBase) {
  // No `.stapsdt.base` section, or a note with base 0: nothing to adjust.
  TestElf no_section = ElfWithNotes(StapsdtNote(0x401010, 0x400080, 0, "p", "n", ""));
  UsdtProbeTable table = ReadTable(Write(no_section, "no_base_section"));
  ASSERT_EQ(table.probes.size(), 1u);
  EXPECT_EQ(table.probes[0].pc, 0x401010u);

  TestElf zero_base = ElfWithNotes(StapsdtNote(0x401010, 0, 0, "p", "n", ""));
  AddBaseSection(&zero_base, 0x401080);
  table = ReadTable(Write(zero_base, "zero_base"));
  ASSERT_EQ(table.probes.size(), 1u);
  EXPECT_EQ(table.probes[0].pc, 0x401010u);
}

TEST_F(UsdtNoteFiles, ReadsEightByteAlignedNotes) {
  std::string notes = StapsdtNote(0x401010, 0, 0, "p", "first", "8@%rdi", 8) +
                      StapsdtNote(0x401020, 0, 0, "p", "second", "", 8);
  UsdtProbeTable table = ReadTable(Write(ElfWithNotes(notes, 8), "aligned8"));
  ASSERT_EQ(table.probes.size(), 2u);
  EXPECT_EQ(table.probes[0].name, "first");
  EXPECT_EQ(table.probes[0].arguments_text, "8@%rdi");
  EXPECT_EQ(table.probes[1].name, "second");
  EXPECT_EQ(table.probes[1].file_offset, 0x1020u);
}

TEST_F(UsdtNoteFiles, SkipsOtherNotes) {
  // A note of another owner, and a stapsdt note of another type.
  std::string other_owner = StapsdtNote(0x401010, 0, 0, "p", "gnu", "");
  std::memcpy(other_owner.data() + 12, "GNU\0\0\0\0\0", 8);
  std::string other_type = StapsdtNote(0x401010, 0, 0, "p", "type1", "");
  other_type[8] = 1;
  std::string notes = other_owner + other_type + StapsdtNote(0x401030, 0, 0, "p", "kept", "");
  UsdtProbeTable table = ReadTable(Write(ElfWithNotes(notes), "other_notes"));
  ASSERT_EQ(table.probes.size(), 1u);
  EXPECT_EQ(table.probes[0].name, "kept");
}

TEST_F(UsdtNoteFiles, MalformedNotes) {
  std::string note = StapsdtNote(0x401010, 0, 0, "p", "n", "8@%rdi");

  std::string path = Write(ElfWithNotes(note + std::string(8, '\0')), "cut_header");
  EXPECT_EQ(ReadError(path), "section `.note.stapsdt` of `" + path +
                                 "` is malformed: it ends inside a note header at offset " +
                                 std::to_string(note.size()));

  path = Write(ElfWithNotes(note.substr(0, note.size() - 8)), "cut_descriptor");
  EXPECT_EQ(ReadError(path), "section `.note.stapsdt` of `" + path +
                                 "` is malformed: the note at offset 0 ends past the end "
                                 "of the section");

  const std::string descriptor_error =
      " is malformed: its descriptor is not three addresses followed by provider, name "
      "and arguments, each ending in a NUL byte";
  std::string short_descriptor = note;
  uint32_t sixteen = 16;
  std::memcpy(short_descriptor.data() + 4, &sixteen, sizeof(sixteen));
  path = Write(ElfWithNotes(short_descriptor.substr(0, 12 + 8 + 16)), "short_descriptor");
  EXPECT_EQ(ReadError(path), "a `.note.stapsdt` note of `" + path + "`" + descriptor_error);

  // Without its last NUL, the argument string runs to the descriptor's end.
  std::string unterminated = StapsdtNote(0x401010, 0, 0, "p", "n", "abc");
  uint32_t descriptor_size = 24 + 2 + 2 + 3;  // "p\0n\0abc"
  std::memcpy(unterminated.data() + 4, &descriptor_size, sizeof(descriptor_size));
  path = Write(ElfWithNotes(unterminated), "unterminated");
  EXPECT_EQ(ReadError(path), "a `.note.stapsdt` note of `" + path + "`" + descriptor_error);

  TestElf not_note = ElfWithNotes(note);
  not_note.sections.back().type = SHT_PROGBITS;
  path = Write(not_note, "not_note");
  EXPECT_EQ(ReadError(path), "section `.note.stapsdt` of `" + path +
                                 "` is malformed: it is not a note section (SHT_NOTE)");
}

TEST_F(UsdtNoteFiles, AddressesOutsideSegments) {
  std::string path =
      Write(ElfWithNotes(StapsdtNote(0x500000, 0, 0, "p", "far", "")), "far_pc");
  EXPECT_EQ(ReadError(path), "USDT probe `p:far` of `" + path +
                                 "` is at 0x500000, outside every loadable segment of the "
                                 "file");

  path = Write(ElfWithNotes(StapsdtNote(0x401010, 0, 0x600000, "p", "far", "")), "far_sema");
  EXPECT_EQ(ReadError(path), "USDT probe `p:far` of `" + path +
                                 "` has its semaphore at 0x600000, outside every loadable "
                                 "segment of the file");
}

TEST_F(UsdtNoteFiles, SemaphoreInDataSegment) {
  // A writable segment at address 0x403000, file offset 0x2000.
  TestElf elf = ElfWithNotes(StapsdtNote(0x401010, 0, 0x403008, "p", "counted", ""));
  Elf64_Phdr data{};
  data.p_type = PT_LOAD;
  data.p_flags = PF_R | PF_W;
  data.p_offset = 0x2000;
  data.p_vaddr = 0x403000;
  data.p_filesz = 0x10;
  data.p_memsz = 0x1000;
  elf.segments.push_back(data);
  TestSection probes;
  probes.name = ".probes";
  probes.flags = SHF_ALLOC | SHF_WRITE;
  probes.address = 0x403000;
  probes.offset = 0x2000;
  probes.data = std::string(0x10, '\0');
  elf.sections.push_back(probes);
  std::string path = Write(elf, "semaphore");

  UsdtProbeTable table = ReadTable(path);
  ASSERT_EQ(table.probes.size(), 1u);
  EXPECT_EQ(table.probes[0].semaphore, 0x403008u);
  EXPECT_EQ(table.probes[0].semaphore_file_offset, 0x2008u);

  // An address in the zero-filled part of the segment is not in the file.
  TestElf in_bss = elf;
  in_bss.sections[1].data = StapsdtNote(0x401010, 0, 0x403800, "p", "counted", "");
  path = Write(in_bss, "semaphore_in_bss");
  EXPECT_EQ(ReadError(path), "USDT probe `p:counted` of `" + path +
                                 "` has its semaphore at 0x403800, outside every loadable "
                                 "segment of the file");
}

TEST_F(UsdtNoteFiles, OtherMachines) {
  TestElf elf = ElfWithNotes(StapsdtNote(0x401010, 0, 0, "p", "n", "-4@x0"));
  elf.machine = EM_AARCH64;
  std::string path = Write(elf, "aarch64");
  EXPECT_EQ(ReadError(path), "reading the USDT probes of `" + path +
                                 "` is not supported yet: it is built for ELF machine 183, "
                                 "and only x86-64 probe arguments are parsed");

  // A file without notes reads fine whatever its machine.
  TestElf no_notes = MinimalTestElf();
  no_notes.machine = EM_AARCH64;
  EXPECT_TRUE(ReadTable(Write(no_notes, "aarch64_no_notes")).probes.empty());
}

TEST_F(UsdtNoteFiles, FileErrorsComeFromElfReader) {
  const std::string missing = directory_.File("missing");
  EXPECT_EQ(ReadError(missing), "`" + missing + "` does not exist");
}

}  // namespace
}  // namespace nubpf::compiler
