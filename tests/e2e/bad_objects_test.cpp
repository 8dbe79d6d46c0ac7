// nubpf-run's errors for files that are not whole nubpfc objects: cut
// short, for another machine, without or with broken `.nubpf` metadata,
// built by clang alone, empty, a directory, missing or unreadable. Each error
// names the file and exits with 2, whether the file is given to a run, to
// --list or to --verify. tests/runtime/nubpf_run_cli_test.cpp checks some
// of these on hand-built ELF files; these start from real objects.

#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "tests/support/elf_sections.h"
#include "tests/support/llvm_ir.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr char kProbeFile[] =
    "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
    "    emit {pid: $e.pid, file: $e.filename}\n"
    "}\n";

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string CompileProbe(const TempDir& dir) {
  std::string source = dir.File("opens.nu");
  std::ofstream(source) << kProbeFile;
  std::string object = dir.File("opens.bpf.o");
  EXPECT_EQ(Compile(source, object), "");
  return object;
}

// Replaces the `.nubpf` section of `object` with `contents`.
void ReplaceMetadata(const TempDir& dir, const std::string& object, const std::string& contents) {
  std::string section = dir.File("nubpf.bin");
  WriteBytes(section, contents);
  RunResult updated = RunToExit(
      {LlvmToolPath("llvm-objcopy"), "--update-section", ".nubpf=" + section, object});
  ASSERT_EQ(updated.exit_code, 0) << updated.err;
}

// The three ways nubpf-run reads an object. A run of a bad object fails
// before it loads anything, so none of them attaches.
const std::vector<std::vector<std::string>> kModes = {{}, {"--list"}, {"--verify"}};

std::string ModeName(const std::vector<std::string>& mode) {
  return mode.empty() ? "a run" : mode[0];
}

// Runs nubpf-run on `path` in each mode and checks that each exits with
// 2, names the file and prints each of `parts` on stderr.
void ExpectErrorInEveryMode(const std::string& path, const std::vector<std::string>& parts) {
  for (const std::vector<std::string>& mode : kModes) {
    std::vector<std::string> argv = {NubpfRunPath()};
    argv.insert(argv.end(), mode.begin(), mode.end());
    argv.push_back(path);
    RunResult result = RunToExit(argv);
    EXPECT_EQ(result.exit_code, 2) << ModeName(mode) << "\n" << result.err;
    EXPECT_EQ(result.out, "") << ModeName(mode);
    EXPECT_NE(result.err.find("`" + path + "`"), std::string::npos)
        << ModeName(mode) << "\n" << result.err;
    for (const std::string& part : parts) {
      EXPECT_NE(result.err.find(part), std::string::npos)
          << ModeName(mode) << ": no `" << part << "` in\n" << result.err;
    }
  }
}

TEST(BadObjects, TruncatedInsideElfHeader) {
  TempDir dir;
  std::string object = CompileProbe(dir);
  std::string cut = dir.File("cut.bpf.o");
  WriteBytes(cut, ReadBytes(object).substr(0, 40));
  ExpectErrorInEveryMode(cut, {"the file is truncated: it ends inside the ELF header, after 40 of "
                               "the header's 64 bytes",
                               "help: the file was cut short"});
}

// A file cut shorter than the ELF magic, whose bytes begin it.
TEST(BadObjects, TruncatedInsideElfMagic) {
  TempDir dir;
  std::string cut = dir.File("cut.bpf.o");
  WriteBytes(cut, "\x7f" "EL");
  ExpectErrorInEveryMode(cut, {"the file is truncated", "after 3 of the header's 64 bytes"});
}

// LLVM writes the section header table last, so a cut anywhere after the
// ELF header, including inside `.nubpf`, cuts the table.
TEST(BadObjects, TruncatedInsideSectionHeaders) {
  TempDir dir;
  std::string object = CompileProbe(dir);
  std::string bytes = ReadBytes(object);
  Elf64_Ehdr header;
  ASSERT_GE(bytes.size(), sizeof(header));
  std::memcpy(&header, bytes.data(), sizeof(header));
  ASSERT_LT(header.e_shoff + 100, bytes.size()) << "the section headers are not last";

  std::string cut = dir.File("cut.bpf.o");
  size_t size = header.e_shoff + 100;
  WriteBytes(cut, bytes.substr(0, size));
  ExpectErrorInEveryMode(cut, {"the file is truncated: its section header table ends at byte " +
                                   std::to_string(bytes.size()) + ", but the file has " +
                                   std::to_string(size) + " bytes"});
}

TEST(BadObjects, TruncatedInsideMetadata) {
  TempDir dir;
  std::string object = CompileProbe(dir);
  std::string bytes = ReadBytes(object);
  std::string metadata = ReadElfSections(object)[".nubpf"];
  ASSERT_FALSE(metadata.empty());
  size_t metadata_offset = bytes.find(metadata);
  ASSERT_NE(metadata_offset, std::string::npos);

  std::string cut = dir.File("cut.bpf.o");
  WriteBytes(cut, bytes.substr(0, metadata_offset + metadata.size() / 2));
  ExpectErrorInEveryMode(cut, {"the file is truncated"});
  RunResult result = RunToExit({NubpfRunPath(), cut});
  EXPECT_EQ(result.err.find("has no `.nubpf` section"), std::string::npos) << result.err;
}

// A section that ends past the end of the file while the section header
// table is whole, as when a tool moved the table forward and then the
// file was cut.
TEST(BadObjects, SectionPastEndOfFileIsNamed) {
  TempDir dir;
  std::string object = CompileProbe(dir);
  std::string bytes = ReadBytes(object);
  Elf64_Ehdr header;
  std::memcpy(&header, bytes.data(), sizeof(header));
  size_t names_header = header.e_shoff + size_t{header.e_shstrndx} * sizeof(Elf64_Shdr);
  Elf64_Shdr names;
  std::memcpy(&names, bytes.data() + names_header, sizeof(names));

  // Points `.nubpf` at the last 8 bytes of the file and makes it 100
  // bytes long.
  bool patched = false;
  for (size_t index = 0; index < header.e_shnum; ++index) {
    size_t at = header.e_shoff + index * sizeof(Elf64_Shdr);
    Elf64_Shdr section;
    std::memcpy(&section, bytes.data() + at, sizeof(section));
    if (std::string(bytes.data() + names.sh_offset + section.sh_name) != ".nubpf") continue;
    section.sh_offset = bytes.size() - 8;
    section.sh_size = 100;
    std::memcpy(bytes.data() + at, &section, sizeof(section));
    patched = true;
  }
  ASSERT_TRUE(patched);
  std::string cut = dir.File("cut.bpf.o");
  WriteBytes(cut, bytes);
  ExpectErrorInEveryMode(cut, {"the file is truncated: section `.nubpf` ends at byte " +
                                   std::to_string(bytes.size() + 92) + ", but the file has " +
                                   std::to_string(bytes.size()) + " bytes"});
}

TEST(BadObjects, X86ExecutableIsNamed) {
  ExpectErrorInEveryMode("/bin/true", {"an ELF file for x86-64, not a BPF object",
                                       "help: pass an object written by `nubpfc"});
}

TEST(BadObjects, ObjectWithX86MachineIsNamed) {
  TempDir dir;
  std::string object = CompileProbe(dir);
  std::string bytes = ReadBytes(object);
  uint16_t machine = EM_X86_64;
  std::memcpy(bytes.data() + offsetof(Elf64_Ehdr, e_machine), &machine, sizeof(machine));
  std::string changed = dir.File("x86.bpf.o");
  WriteBytes(changed, bytes);
  ExpectErrorInEveryMode(changed, {"an ELF file for x86-64, not a BPF object (e_machine is 62, "
                                   "BPF is 247)"});
}

TEST(BadObjects, MissingMetadataSection) {
  TempDir dir;
  std::string object = CompileProbe(dir);
  RunResult removed =
      RunToExit({LlvmToolPath("llvm-objcopy"), "--remove-section", ".nubpf", object});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  ExpectErrorInEveryMode(object, {"has no `.nubpf` section, so it was not made by nubpfc"});
}

TEST(BadObjects, GarbageMetadataIsShownEscaped) {
  TempDir dir;
  std::string object = CompileProbe(dir);
  ReplaceMetadata(dir, object, std::string("\xff\x01garbage\x1b[31m\tvalue\n", 21));
  ExpectErrorInEveryMode(object, {"invalid `.nubpf` metadata at line 1: the first line must "
                                  "be `nubpf<TAB>",
                                  "found a `\\xff\\x01garbage\\x1b[31m` line",
                                  "help: the object was not written by a matching nubpfc"});
  RunResult result = RunToExit({NubpfRunPath(), object});
  EXPECT_EQ(result.err.find('\x1b'), std::string::npos) << "a raw escape byte reached stderr";
}

TEST(BadObjects, BadMetadataLineIsNamed) {
  TempDir dir;
  std::string object = CompileProbe(dir);
  std::string metadata = ReadElfSections(object)[".nubpf"];
  std::string version_line = metadata.substr(0, metadata.find('\n') + 1);
  ReplaceMetadata(dir, object, version_line + "event\tone\t16\temit\t1\t1\n");
  ExpectErrorInEveryMode(object, {"invalid `.nubpf` metadata at line 2: event ID `one` is not "
                                  "a decimal number"});
}

// A drop slot past the end of `.bss` would make the drop count a read
// outside the section at exit, so the run stops before loading.
TEST(BadObjects, DropSlotOutsideBss) {
  TempDir dir;
  std::string source = dir.File("counts.nu");
  std::ofstream(source) << "probe tracepoint:syscalls:sys_enter_getppid {|e| $e.comm | count }\n";
  std::string object = dir.File("counts.bpf.o");
  ASSERT_EQ(Compile(source, object), "");
  std::string metadata = ReadElfSections(object)[".nubpf"];
  size_t slot = metadata.find("\t10240\t0\n");
  ASSERT_NE(slot, std::string::npos) << metadata;
  metadata.replace(slot, 9, "\t10240\t9\n");
  ReplaceMetadata(dir, object, metadata);

  for (const std::vector<std::string>& mode : {std::vector<std::string>{},
                                               std::vector<std::string>{"--verify"}}) {
    std::vector<std::string> argv = {NubpfRunPath()};
    argv.insert(argv.end(), mode.begin(), mode.end());
    argv.push_back(object);
    RunResult result = RunToExit(argv);
    EXPECT_EQ(result.exit_code, 2) << ModeName(mode) << "\n" << result.err;
    EXPECT_NE(result.err.find(object + "`: the metadata counts dropped inserts in the first 88 "
                                       "bytes of `.bss`, which has 16 bytes"),
              std::string::npos)
        << ModeName(mode) << "\n" << result.err;
    EXPECT_NE(result.err.find("help: the object does not match its own metadata"),
              std::string::npos)
        << result.err;
  }
}

// Returns the path of a clang that targets BPF, or an empty string.
std::string FindClang() {
  for (const std::string& path : {LlvmToolPath("clang"), std::string("/usr/bin/clang")}) {
    if (access(path.c_str(), X_OK) == 0) return path;
  }
  return "";
}

// A BPF object as a libbpf project builds it, which has programs, BTF and
// a license, but no `.nubpf` metadata.
TEST(BadObjects, ClangObjectIsNotNubpfc) {
  std::string clang = FindClang();
  if (clang.empty()) {
    GTEST_SKIP() << "no clang to build a plain BPF object with; run tools/setup.sh";
  }
  TempDir dir;
  std::string source = dir.File("plain.bpf.c");
  std::ofstream(source)
      << "#define SEC(name) __attribute__((section(name), used))\n"
         "SEC(\"tracepoint/syscalls/sys_enter_getppid\")\n"
         "int on_getppid(void *ctx) { return 0; }\n"
         "char LICENSE[] SEC(\"license\") = \"GPL\";\n";
  std::string object = dir.File("plain.bpf.o");
  RunResult built = RunToExit({clang, "-O2", "-g", "-target", "bpf", "-c", source, "-o", object});
  ASSERT_EQ(built.exit_code, 0) << built.err;

  ExpectErrorInEveryMode(object, {"has no `.nubpf` section, so it was not made by nubpfc",
                                  "help: nubpf-run runs objects written by nubpfc: "
                                  "compile the probe with `nubpfc FILE.nu -o FILE.bpf.o`",
                                  "`bpftool prog loadall`"});
}

TEST(BadObjects, EmptyFile) {
  TempDir dir;
  std::string empty = dir.File("empty.bpf.o");
  WriteBytes(empty, "");
  ExpectErrorInEveryMode(empty, {"the file is empty, so not a BPF object"});
}

TEST(BadObjects, Directory) {
  TempDir dir;
  std::string directory = dir.File("probe.bpf.o");
  std::filesystem::create_directory(directory);
  ExpectErrorInEveryMode(directory, {"a directory, not a file"});
}

TEST(BadObjects, MissingFile) {
  TempDir dir;
  ExpectErrorInEveryMode(dir.File("missing.bpf.o"), {"no such file", "help: check the path"});
}

// Root reads any file, so the check drops to user 65534 (`nobody`), and
// the file stays root's with no permissions for others.
TEST(BadObjects, UnreadableFile) {
  TempDir dir;
  std::filesystem::permissions(dir.path(), std::filesystem::perms::others_read |
                                               std::filesystem::perms::others_exec,
                               std::filesystem::perm_options::add);
  std::string object = CompileProbe(dir);
  std::filesystem::permissions(object, std::filesystem::perms::owner_read |
                                           std::filesystem::perms::owner_write);
  std::vector<std::string> prefix;
  if (geteuid() == 0) {
    ASSERT_TRUE(std::filesystem::exists("/usr/bin/setpriv")) << "util-linux is missing";
    std::string loader = dir.File("nubpf-run");
    std::filesystem::copy_file(NubpfRunPath(), loader);
    prefix = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
              "--inh-caps=-all", loader};
  } else {
    std::filesystem::permissions(object, std::filesystem::perms::none);
    prefix = {NubpfRunPath()};
  }

  for (const std::vector<std::string>& mode : kModes) {
    std::vector<std::string> argv = prefix;
    argv.insert(argv.end(), mode.begin(), mode.end());
    argv.push_back(object);
    RunResult result = RunToExit(argv);
    EXPECT_EQ(result.exit_code, 2) << ModeName(mode) << "\n" << result.err;
    EXPECT_NE(result.err.find("cannot open `" + object + "`: Permission denied"),
              std::string::npos)
        << ModeName(mode) << "\n" << result.err;
    EXPECT_NE(result.err.find("help: check that the file exists and is readable"),
              std::string::npos)
        << ModeName(mode) << "\n" << result.err;
  }
}

}  // namespace
}  // namespace nubpf::testing
