// Function symbols of the test program's builds, of libc and bash, and of
// hand-written ELF files, checked against nm and readelf.

#include "compiler/elf_symbols.h"

#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <set>

#include "gtest/gtest.h"
#include "tests/compiler/elf_test_files.h"
#include "tests/support/subprocess.h"

namespace nubpf::compiler {
namespace {

using testing::MinimalTestElf;
using testing::NmSymbol;
using testing::SymbolTableBytes;
using testing::TempDir;
using testing::TestElf;
using testing::TestSection;
using testing::TestSymbol;
using testing::WriteTestElf;

constexpr char kLibc[] = "/lib/x86_64-linux-gnu/libc.so.6";
constexpr char kBash[] = "/bin/bash";

// The exported functions of tests/programs/uprobe_target.c.
const char* const kTestFunctions[] = {
    "nubpf_test_add",    "nubpf_test_read_one",    "nubpf_test_read_two",
    "nubpf_test_reader", "nubpf_test_write",       "nubpf_test_fire_probes",
    "nubpf_test_fire_more", "nubpf_test_other_file",
};

const char* const kTestBuilds[] = {NUBPF_UPROBE_TARGET, NUBPF_UPROBE_TARGET_NOPIE,
                                   NUBPF_UPROBE_TARGET_SHARED};

FunctionSymbolTable ReadTable(const std::string& path) {
  FunctionSymbolTable table;
  std::string error;
  EXPECT_TRUE(ReadFunctionSymbols(path, &table, &error)) << error;
  return table;
}

std::string ReadError(const std::string& path) {
  FunctionSymbolTable table;
  std::string error;
  EXPECT_FALSE(ReadFunctionSymbols(path, &table, &error)) << path << " was read";
  return error;
}

// Returns nm's entry for `name`, or fails the test.
NmSymbol NmFind(const std::vector<NmSymbol>& symbols, const std::string& name) {
  for (const NmSymbol& symbol : symbols) {
    if (symbol.name == name) return symbol;
  }
  ADD_FAILURE() << "nm lists no symbol " << name;
  return NmSymbol{};
}

std::string Hex(uint64_t value) {
  char text[32];
  snprintf(text, sizeof(text), "%#llx", static_cast<unsigned long long>(value));
  return text;
}

TEST(ElfSymbols, FindsTestProgramFunctions) {
  for (const char* path : kTestBuilds) {
    SCOPED_TRACE(path);
    FunctionSymbolTable table = ReadTable(path);
    EXPECT_TRUE(table.has_symtab);
    std::vector<NmSymbol> nm = testing::NmSymbols(path, /*dynamic=*/false);

    for (const char* name : kTestFunctions) {
      SCOPED_TRACE(name);
      std::string error;
      const FunctionSymbol* function = FindFunctionSymbol(table, name, &error);
      ASSERT_NE(function, nullptr) << error;
      NmSymbol expected = NmFind(nm, name);
      EXPECT_EQ(function->name, name);
      EXPECT_EQ(function->address, expected.address);
      EXPECT_EQ(function->size, expected.size);
      EXPECT_EQ(function->file_offset, testing::ReadelfFileOffset(path, expected.address));
    }
  }
}

TEST(ElfSymbols, NonPieAddressesDifferFromOffsets) {
  // A non-PIE executable is linked at 0x400000, so a file offset is not the
  // address, unlike in the PIE build's first segments.
  FunctionSymbolTable table = ReadTable(NUBPF_UPROBE_TARGET_NOPIE);
  std::string error;
  const FunctionSymbol* function = FindFunctionSymbol(table, "nubpf_test_add", &error);
  ASSERT_NE(function, nullptr) << error;
  EXPECT_GE(function->address, 0x400000u);
  EXPECT_LT(function->file_offset, function->address);
}

TEST(ElfSymbols, FileOffsetHoldsCodeInMemory) {
  for (const char* path : {NUBPF_UPROBE_TARGET, NUBPF_UPROBE_TARGET_NOPIE}) {
    SCOPED_TRACE(path);
    FunctionSymbolTable table = ReadTable(path);
    for (const char* name : {"nubpf_test_add", "nubpf_test_fire_probes"}) {
      std::string error;
      const FunctionSymbol* function = FindFunctionSymbol(table, name, &error);
      ASSERT_NE(function, nullptr) << error;
      std::string in_memory = testing::RunTool({path, "--code", name});
      std::string in_file = testing::ReadFileBytes(path, function->file_offset, 16);
      EXPECT_EQ(testing::HexBytes(in_file) + "\n", in_memory) << name;
    }
  }
}

TEST(ElfSymbols, ListsEachFunctionOnceInOrder) {
  // The shared library lists its exported functions in both tables.
  FunctionSymbolTable table = ReadTable(NUBPF_UPROBE_TARGET_SHARED);
  for (size_t i = 1; i < table.functions.size(); ++i) {
    const FunctionSymbol& before = table.functions[i - 1];
    const FunctionSymbol& after = table.functions[i];
    EXPECT_TRUE(before.name < after.name ||
                (before.name == after.name && before.address < after.address))
        << before.name << " at " << Hex(before.address) << " then " << after.name
        << " at " << Hex(after.address);
  }
  auto count = std::count_if(table.functions.begin(), table.functions.end(),
                             [](const FunctionSymbol& f) { return f.name == "nubpf_test_add"; });
  EXPECT_EQ(count, 1);
  std::string error;
  EXPECT_EQ(FindFunctionSymbol(table, "nubpf_test_counter", &error), nullptr)
      << "a variable was listed as a function";
}

TEST(ElfSymbols, MatchesGlobInNameOrder) {
  FunctionSymbolTable table = ReadTable(NUBPF_UPROBE_TARGET);
  std::vector<FunctionSymbol> matches;
  std::string error;

  ASSERT_TRUE(MatchFunctionSymbols(table, "nubpf_test_read*", 3, &matches, &error)) << error;
  ASSERT_EQ(matches.size(), 3u);
  EXPECT_EQ(matches[0].name, "nubpf_test_read_one");
  EXPECT_EQ(matches[1].name, "nubpf_test_read_two");
  EXPECT_EQ(matches[2].name, "nubpf_test_reader");

  ASSERT_TRUE(MatchFunctionSymbols(table, "nubpf_test_read_???", 10, &matches, &error))
      << error;
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].name, "nubpf_test_read_one");
  EXPECT_EQ(matches[1].name, "nubpf_test_read_two");
}

TEST(ElfSymbols, GlobErrors) {
  FunctionSymbolTable table = ReadTable(NUBPF_UPROBE_TARGET);
  const std::string path = NUBPF_UPROBE_TARGET;
  std::vector<FunctionSymbol> matches;
  std::string error;

  EXPECT_FALSE(MatchFunctionSymbols(table, "nubpf_test_read*", 2, &matches, &error));
  EXPECT_EQ(error, "`nubpf_test_read*` matches 3 functions in `" + path +
                       "`, more than the limit of 2; write a narrower pattern");
  EXPECT_TRUE(matches.empty());

  EXPECT_FALSE(MatchFunctionSymbols(table, "nubpf_nothing_*", 10, &matches, &error));
  EXPECT_EQ(error, "no function in `" + path + "` matches `nubpf_nothing_*`");
}

TEST(ElfSymbols, ResolvesOffsetsIntoFunctions) {
  FunctionSymbolTable table = ReadTable(NUBPF_UPROBE_TARGET);
  std::string error;
  const FunctionSymbol* function = FindFunctionSymbol(table, "nubpf_test_fire_probes", &error);
  ASSERT_NE(function, nullptr) << error;
  ASSERT_GT(function->size, 0x10u);

  for (const char* target : {"nubpf_test_fire_probes+0x10", "nubpf_test_fire_probes+16",
                             "nubpf_test_fire_probes+0X10"}) {
    UprobeAddress address;
    ASSERT_TRUE(ResolveUprobeAddress(table, target, &address, &error)) << error;
    EXPECT_EQ(address.function, "nubpf_test_fire_probes") << target;
    EXPECT_EQ(address.offset, 0x10u) << target;
    EXPECT_EQ(address.address, function->address + 0x10) << target;
    EXPECT_EQ(address.file_offset, function->file_offset + 0x10) << target;
  }

  UprobeAddress start;
  ASSERT_TRUE(ResolveUprobeAddress(table, "nubpf_test_fire_probes", &start, &error)) << error;
  EXPECT_EQ(start.offset, 0u);
  EXPECT_EQ(start.file_offset, function->file_offset);

  UprobeAddress last_byte;
  std::string target = "nubpf_test_fire_probes+" + std::to_string(function->size - 1);
  EXPECT_TRUE(ResolveUprobeAddress(table, target, &last_byte, &error)) << error;
}

TEST(ElfSymbols, OffsetErrors) {
  FunctionSymbolTable table = ReadTable(NUBPF_UPROBE_TARGET);
  const std::string path = NUBPF_UPROBE_TARGET;
  std::string error;
  const FunctionSymbol* add = FindFunctionSymbol(table, "nubpf_test_add", &error);
  ASSERT_NE(add, nullptr) << error;

  struct OffsetCase {
    std::string target;
    std::string error;
  };
  const OffsetCase cases[] = {
      {"nubpf_test_add+" + std::to_string(add->size),
       "offset " + Hex(add->size) + " is past the end of `nubpf_test_add` in `" + path +
           "`, which is " + Hex(add->size) + " bytes long"},
      {"nubpf_test_add+0x1000",
       "offset 0x1000 is past the end of `nubpf_test_add` in `" + path + "`, which is " +
           Hex(add->size) + " bytes long"},
      {"nubpf_test_add+abc",
       "invalid offset `abc` in `nubpf_test_add+abc`; write a byte count such as "
       "`nubpf_test_add+16` or `nubpf_test_add+0x10`"},
      {"nubpf_test_add+",
       "invalid offset `` in `nubpf_test_add+`; write a byte count such as "
       "`nubpf_test_add+16` or `nubpf_test_add+0x10`"},
      {"nubpf_test_add+0x",
       "invalid offset `0x` in `nubpf_test_add+0x`; write a byte count such as "
       "`nubpf_test_add+16` or `nubpf_test_add+0x10`"},
      {"nubpf_test_add+-4",
       "invalid offset `-4` in `nubpf_test_add+-4`; write a byte count such as "
       "`nubpf_test_add+16` or `nubpf_test_add+0x10`"},
      {"nubpf_test_add+99999999999999999999",
       "invalid offset `99999999999999999999` in `nubpf_test_add+99999999999999999999`; "
       "write a byte count such as `nubpf_test_add+16` or `nubpf_test_add+0x10`"},
      {"+16", "missing function name before the offset in `+16`"},
      {"nubpf_test_read*+4",
       "an offset cannot follow the pattern `nubpf_test_read*`, which may match several "
       "functions"},
      {"nubpf_missing+4", "function `nubpf_missing` not found in `" + path + "`"},
  };
  for (const OffsetCase& test : cases) {
    UprobeAddress address;
    error.clear();
    EXPECT_FALSE(ResolveUprobeAddress(table, test.target, &address, &error)) << test.target;
    EXPECT_EQ(error, test.error) << test.target;
  }
}

TEST(ElfSymbols, ReportsStaticFunctionsSharingName) {
  const std::string path = NUBPF_UPROBE_TARGET;
  FunctionSymbolTable table = ReadTable(path);
  std::vector<uint64_t> addresses;
  for (const NmSymbol& symbol : testing::NmSymbols(path, /*dynamic=*/false)) {
    if (symbol.name == "nubpf_test_local") addresses.push_back(symbol.address);
  }
  ASSERT_EQ(addresses.size(), 2u);
  std::sort(addresses.begin(), addresses.end());

  std::string error;
  EXPECT_EQ(FindFunctionSymbol(table, "nubpf_test_local", &error), nullptr);
  EXPECT_EQ(error, "function `nubpf_test_local` is ambiguous in `" + path +
                       "`: 2 static functions have that name, at " + Hex(addresses[0]) +
                       ", " + Hex(addresses[1]));

  // A pattern names every copy.
  std::vector<FunctionSymbol> matches;
  ASSERT_TRUE(MatchFunctionSymbols(table, "nubpf_test_local", 10, &matches, &error)) << error;
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].address, addresses[0]);
  EXPECT_EQ(matches[1].address, addresses[1]);
}

TEST(ElfSymbols, ReportsIndirectFunctions) {
  const std::string path = NUBPF_UPROBE_TARGET;
  FunctionSymbolTable table = ReadTable(path);
  std::string error;
  EXPECT_EQ(FindFunctionSymbol(table, "nubpf_test_indirect", &error), nullptr);
  EXPECT_EQ(error, "`nubpf_test_indirect` in `" + path +
                       "` is an indirect function (STT_GNU_IFUNC), and probing those is "
                       "not supported yet: its symbol is the resolver that picks an "
                       "implementation once, when the file is loaded");

  // The resolver itself is an ordinary function.
  EXPECT_NE(FindFunctionSymbol(table, "nubpf_test_resolve_indirect", &error), nullptr)
      << error;
}

TEST(ElfSymbols, StrippedLibraryKeepsExports) {
  const std::string path = NUBPF_UPROBE_TARGET_STRIPPED;
  FunctionSymbolTable stripped = ReadTable(path);
  FunctionSymbolTable full = ReadTable(NUBPF_UPROBE_TARGET_SHARED);
  EXPECT_FALSE(stripped.has_symtab);

  std::string error;
  const FunctionSymbol* exported = FindFunctionSymbol(stripped, "nubpf_test_add", &error);
  ASSERT_NE(exported, nullptr) << error;
  const FunctionSymbol* original = FindFunctionSymbol(full, "nubpf_test_add", &error);
  ASSERT_NE(original, nullptr) << error;
  EXPECT_EQ(exported->address, original->address);
  EXPECT_EQ(exported->file_offset, original->file_offset);

  EXPECT_EQ(FindFunctionSymbol(stripped, "nubpf_test_local", &error), nullptr);
  EXPECT_EQ(error, "function `nubpf_test_local` not found in `" + path + "`; `" + path +
                       "` is stripped, so only the functions it exports in `.dynsym` "
                       "can be found");
}

TEST(ElfSymbols, ReadsLibc) {
  if (access(kLibc, R_OK) != 0) GTEST_SKIP() << kLibc << " is missing on this system";
  FunctionSymbolTable table = ReadTable(kLibc);
  std::vector<NmSymbol> nm = testing::NmSymbols(kLibc, /*dynamic=*/true);
  std::string error;

  const FunctionSymbol* malloc_symbol = FindFunctionSymbol(table, "malloc", &error);
  ASSERT_NE(malloc_symbol, nullptr) << error;
  NmSymbol expected = NmFind(nm, "malloc@@GLIBC_2.2.5");
  EXPECT_EQ(malloc_symbol->address, expected.address);
  EXPECT_EQ(malloc_symbol->size, expected.size);
  EXPECT_EQ(malloc_symbol->file_offset, testing::ReadelfFileOffset(kLibc, expected.address));

  // Of a name with several versions, only the default (`@@`) one counts.
  for (const NmSymbol& symbol : nm) {
    size_t at = symbol.name.find("@@");
    if (symbol.type != 'T' || at == std::string::npos) continue;
    std::string name = symbol.name.substr(0, at);
    const FunctionSymbol* found = FindFunctionSymbol(table, name, &error);
    ASSERT_NE(found, nullptr) << error;
    EXPECT_EQ(found->address, symbol.address) << name;
  }

  EXPECT_EQ(FindFunctionSymbol(table, "strlen", &error), nullptr);
  EXPECT_NE(error.find("indirect function (STT_GNU_IFUNC)"), std::string::npos) << error;
}

TEST(ElfSymbols, ReadsStrippedBash) {
  if (access(kBash, R_OK) != 0) GTEST_SKIP() << kBash << " is missing on this system";
  FunctionSymbolTable table = ReadTable(kBash);
  std::string error;

  const FunctionSymbol* readline = FindFunctionSymbol(table, "readline", &error);
  ASSERT_NE(readline, nullptr) << error;
  std::vector<NmSymbol> nm = testing::NmSymbols(kBash, /*dynamic=*/true);
  NmSymbol expected = NmFind(nm, "readline");
  EXPECT_EQ(readline->address, expected.address);
  EXPECT_EQ(readline->file_offset, testing::ReadelfFileOffset(kBash, expected.address));

  // `read*` matches what nm lists as defined functions starting with "read",
  // without hidden versions (`name@VERSION`) and version suffixes.
  std::set<std::string> expected_names;
  for (const NmSymbol& symbol : nm) {
    bool is_function = symbol.type == 'T' || symbol.type == 'W';
    size_t at = symbol.name.find('@');
    bool is_hidden = at != std::string::npos && symbol.name.compare(at, 2, "@@") != 0;
    if (is_function && !is_hidden && symbol.name.rfind("read", 0) == 0)
      expected_names.insert(symbol.name.substr(0, at));
  }
  std::vector<FunctionSymbol> matches;
  ASSERT_TRUE(MatchFunctionSymbols(table, "read*", 1000, &matches, &error)) << error;
  std::set<std::string> names;
  for (const FunctionSymbol& match : matches) names.insert(match.name);
  EXPECT_GT(names.size(), 1u);
  EXPECT_EQ(names, expected_names);
}

// Error cases on files written here.
class ElfSymbolErrors : public ::testing::Test {
 protected:
  std::string Write(const TestElf& elf, const std::string& name) {
    std::string path = directory_.File(name);
    WriteTestElf(elf, path);
    return path;
  }
  std::string WriteText(const std::string& text, const std::string& name) {
    std::string path = directory_.File(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  TempDir directory_;
};

TEST_F(ElfSymbolErrors, UnreadableFiles) {
  const std::string missing = directory_.File("missing");
  EXPECT_EQ(ReadError(missing), "`" + missing + "` does not exist");
  EXPECT_EQ(ReadError(directory_.path()), "`" + directory_.path() + "` is not a regular file");

  std::string text = WriteText("#!/bin/sh\necho hello\n", "script.sh");
  EXPECT_EQ(ReadError(text), "`" + text + "` is not an ELF file");
  std::string empty = WriteText("", "empty");
  EXPECT_EQ(ReadError(empty), "`" + empty + "` is not an ELF file");
  std::string short_header = WriteText(std::string("\x7f" "ELF\x02\x01\x01", 7), "short");
  EXPECT_EQ(ReadError(short_header), "`" + short_header + "` is not an ELF file");
}

TEST_F(ElfSymbolErrors, UnsupportedElfKinds) {
  TestElf elf32 = MinimalTestElf();
  elf32.elf_class = ELFCLASS32;
  std::string path = Write(elf32, "elf32");
  EXPECT_EQ(ReadError(path), "`" + path +
                                 "` is a 32-bit ELF file; only 64-bit little-endian ELF "
                                 "files are supported");

  TestElf big_endian = MinimalTestElf();
  big_endian.byte_order = ELFDATA2MSB;
  path = Write(big_endian, "big_endian");
  EXPECT_EQ(ReadError(path), "`" + path +
                                 "` is a big-endian ELF file; only 64-bit little-endian "
                                 "ELF files are supported");

  TestElf bad_class = MinimalTestElf();
  bad_class.elf_class = 7;
  path = Write(bad_class, "bad_class");
  EXPECT_EQ(ReadError(path), "`" + path + "` is not a valid ELF file: its class byte is 7");

  TestElf object = MinimalTestElf();
  object.type = ET_REL;
  path = Write(object, "object.o");
  EXPECT_EQ(ReadError(path), "`" + path +
                                 "` is a relocatable object file (ET_REL), not an "
                                 "executable or a shared library; probes attach to "
                                 "programs and libraries that processes load");

  TestElf core = MinimalTestElf();
  core.type = ET_CORE;
  path = Write(core, "core");
  EXPECT_EQ(ReadError(path), "`" + path +
                                 "` is a core dump (ET_CORE), not an executable or a "
                                 "shared library; probes attach to programs and "
                                 "libraries that processes load");
}

TEST_F(ElfSymbolErrors, TruncatedFiles) {
  std::string valid = Write(MinimalTestElf(), "valid");
  std::string bytes = testing::ReadFileBytes(valid, 0, 1 << 20);

  std::string header_only = WriteText(bytes.substr(0, 40), "header_only");
  EXPECT_EQ(ReadError(header_only),
            "`" + header_only + "` is truncated: it ends inside its ELF header");

  // The section headers are written last, so cutting the file's end cuts them.
  std::string no_section_headers = WriteText(bytes.substr(0, bytes.size() - 8), "cut");
  EXPECT_EQ(ReadError(no_section_headers),
            "`" + no_section_headers +
                "` is malformed: its section header table ends past the end of the file");
}

TEST_F(ElfSymbolErrors, SectionPastEndOfFile) {
  TestElf elf = MinimalTestElf();
  TestSection bad;
  bad.name = ".bad";
  bad.offset = 0x1100;
  bad.data = "x";
  elf.sections.push_back(bad);
  std::string path = Write(elf, "section_past_end");

  // Point `.bad` far past the end, keeping its size.
  std::string bytes = testing::ReadFileBytes(path, 0, 1 << 20);
  Elf64_Ehdr header;
  std::memcpy(&header, bytes.data(), sizeof(header));
  uint64_t bad_header = header.e_shoff + 2 * sizeof(Elf64_Shdr);
  uint64_t far = 1 << 30;
  std::memcpy(bytes.data() + bad_header + offsetof(Elf64_Shdr, sh_offset), &far, sizeof(far));
  std::string patched = WriteText(bytes, "section_past_end_patched");
  EXPECT_EQ(ReadError(patched),
            "`" + patched + "` is malformed: section 2 ends past the end of the file");
}

TEST_F(ElfSymbolErrors, NoSymbolTables) {
  std::string path = Write(MinimalTestElf(), "stripped");
  EXPECT_EQ(ReadError(path), "`" + path +
                                 "` has neither a `.symtab` nor a `.dynsym` section: it is "
                                 "stripped of all symbols, so its functions cannot be "
                                 "found by name");
}

// Returns MinimalTestElf with `.symtab` and `.strtab` holding `symbols`.
TestElf ElfWithSymbols(const std::vector<TestSymbol>& symbols) {
  TestElf elf = MinimalTestElf();
  std::string names;
  TestSection table;
  table.name = ".symtab";
  table.type = SHT_SYMTAB;
  table.offset = 0x1200;
  table.data = SymbolTableBytes(symbols, &names);
  table.alignment = 8;
  table.link = 3;
  table.entry_size = sizeof(Elf64_Sym);
  TestSection strings;
  strings.name = ".strtab";
  strings.type = SHT_STRTAB;
  strings.offset = 0x1800;
  strings.data = names;
  elf.sections.push_back(table);
  elf.sections.push_back(strings);
  return elf;
}

TEST_F(ElfSymbolErrors, MalformedSymbolTables) {
  TestElf wide = ElfWithSymbols({{"f", 0x401000, 4}});
  wide.sections[1].entry_size = 16;
  std::string path = Write(wide, "wide_entries");
  EXPECT_EQ(ReadError(path), "section `.symtab` of `" + path +
                                 "` is malformed: its entries are 16 bytes long, not 24");

  TestElf no_strings = ElfWithSymbols({{"f", 0x401000, 4}});
  no_strings.sections[1].link = 9;
  path = Write(no_strings, "no_strings");
  EXPECT_EQ(ReadError(path), "section `.symtab` of `" + path +
                                 "` is malformed: its string table is section 9, which "
                                 "does not exist");

  TestElf bad_name = ElfWithSymbols({{"f", 0x401000, 4}});
  bad_name.sections[2].data = std::string(1, '\0');  // too short for the name at 1
  path = Write(bad_name, "bad_name");
  EXPECT_EQ(ReadError(path), "section `.symtab` of `" + path +
                                 "` is malformed: the name of symbol 1 lies outside its "
                                 "string table");
}

TEST_F(ElfSymbolErrors, FunctionWithoutSize) {
  std::string path = Write(ElfWithSymbols({{"sizeless", 0x401010, 0}}), "sizeless");
  FunctionSymbolTable table = ReadTable(path);
  std::string error;

  UprobeAddress address;
  ASSERT_TRUE(ResolveUprobeAddress(table, "sizeless", &address, &error)) << error;
  EXPECT_EQ(address.address, 0x401010u);
  EXPECT_EQ(address.file_offset, 0x1010u);

  EXPECT_FALSE(ResolveUprobeAddress(table, "sizeless+1", &address, &error));
  EXPECT_EQ(error, "`sizeless` in `" + path +
                       "` has no recorded size, so the offset 0x1 cannot be checked "
                       "against its end; probe it without an offset");
}

TEST_F(ElfSymbolErrors, SkipsSymbolsThatAreNotMappedFunctions) {
  std::vector<TestSymbol> symbols = {
      {"mapped", 0x401020, 8},
      {"outside_segments", 0x500000, 8},
      {"variable", 0x401030, 8, STT_OBJECT},
      {"imported", 0, 0, STT_FUNC, SHN_UNDEF},
  };
  std::string path = Write(ElfWithSymbols(symbols), "kinds");
  FunctionSymbolTable table = ReadTable(path);
  ASSERT_EQ(table.functions.size(), 1u);
  EXPECT_EQ(table.functions[0].name, "mapped");
  EXPECT_EQ(table.functions[0].file_offset, 0x1020u);
  EXPECT_TRUE(table.has_symtab);
}

TEST_F(ElfSymbolErrors, KeepsDefaultSymbolVersions) {
  // `.dynsym` lists `versioned` twice: a hidden old version, then the
  // default one. `.gnu.version` marks the hidden one with bit 15.
  TestElf elf = MinimalTestElf();
  std::string names;
  TestSection dynsym;
  dynsym.name = ".dynsym";
  dynsym.type = SHT_DYNSYM;
  dynsym.offset = 0x1200;
  dynsym.data = SymbolTableBytes({{"versioned", 0x401020, 8}, {"versioned", 0x401040, 8}},
                                 &names);
  dynsym.alignment = 8;
  dynsym.link = 3;
  dynsym.entry_size = sizeof(Elf64_Sym);
  TestSection dynstr;
  dynstr.name = ".dynstr";
  dynstr.type = SHT_STRTAB;
  dynstr.offset = 0x1400;
  dynstr.data = names;
  TestSection versions;
  versions.name = ".gnu.version";
  versions.type = SHT_GNU_versym;
  versions.offset = 0x1500;
  const uint16_t entries[] = {0, 0x8002, 3};
  versions.data = std::string(reinterpret_cast<const char*>(entries), sizeof(entries));
  versions.alignment = 2;
  versions.link = 2;
  versions.entry_size = 2;
  elf.sections.push_back(dynsym);
  elf.sections.push_back(dynstr);
  elf.sections.push_back(versions);
  std::string path = Write(elf, "versions");

  FunctionSymbolTable table = ReadTable(path);
  EXPECT_FALSE(table.has_symtab);
  std::string error;
  const FunctionSymbol* function = FindFunctionSymbol(table, "versioned", &error);
  ASSERT_NE(function, nullptr) << error;
  EXPECT_EQ(function->address, 0x401040u);
}

TEST_F(ElfSymbolErrors, MergesTablesKeepingRecordedSize) {
  // The same function in `.symtab` without a size and in `.dynsym` with one.
  TestElf elf = ElfWithSymbols({{"shared", 0x401020, 0}});
  std::string names;
  TestSection dynsym;
  dynsym.name = ".dynsym";
  dynsym.type = SHT_DYNSYM;
  dynsym.offset = 0x1a00;
  dynsym.data = SymbolTableBytes({{"shared", 0x401020, 12}}, &names);
  dynsym.alignment = 8;
  dynsym.link = 5;
  dynsym.entry_size = sizeof(Elf64_Sym);
  TestSection dynstr;
  dynstr.name = ".dynstr";
  dynstr.type = SHT_STRTAB;
  dynstr.offset = 0x1c00;
  dynstr.data = names;
  elf.sections.push_back(dynsym);
  elf.sections.push_back(dynstr);
  std::string path = Write(elf, "both_tables");

  FunctionSymbolTable table = ReadTable(path);
  ASSERT_EQ(table.functions.size(), 1u);
  EXPECT_EQ(table.functions[0].size, 12u);
}

}  // namespace
}  // namespace nubpf::compiler
