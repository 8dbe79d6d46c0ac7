// A program the kernel verifier rejects is reported against its `.nu`
// line. nubpfc writes only programs the verifier accepts, so the test
// compiles a valid probe and then overwrites one instruction of its ELF
// section with a read past the 512-byte stack, leaving the BTF line info
// as the compiler wrote it.

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "tests/support/elf_sections.h"
#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

constexpr char kSectionName[] = "tracepoint/syscalls/sys_enter_getppid";
constexpr int32_t kFactor = 1234567;

// The multiplication on line 2 is the instruction that gets replaced; the
// factor is one that LLVM does not turn into shifts.
constexpr char kProbeFile[] =
    "probe tracepoint:syscalls:sys_enter_getppid {|e|\n"
    "    let scaled = $e.pid * 1234567\n"
    "    emit {scaled: $scaled}\n"
    "}\n";

// One BPF instruction as the ELF section stores it, little-endian.
struct BpfInstruction {
  uint8_t opcode;
  uint8_t registers;  // destination in the low 4 bits, source in the high 4
  int16_t offset;
  int32_t immediate;
};
static_assert(sizeof(BpfInstruction) == 8);

constexpr uint8_t kMul64Immediate = 0x27;  // BPF_ALU64 | BPF_MUL | BPF_K
constexpr uint8_t kMul32Immediate = 0x24;  // BPF_ALU | BPF_MUL | BPF_K
constexpr uint8_t kLoad64 = 0x79;          // BPF_LDX | BPF_MEM | BPF_DW
constexpr uint8_t kFramePointer = 10;
constexpr int16_t kPastStack = -1024;

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Replaces the multiplication by kFactor in the program's section of
// `object` with `dst = *(u64 *)(r10 - 1024)`, which reads past the stack.
// Returns an empty string, or what went wrong.
std::string ReplaceMultiplication(const std::string& object) {
  std::string section = ReadElfSections(object)[kSectionName];
  if (section.empty()) return std::string("no section ") + kSectionName;
  std::string bytes = ReadBytes(object);
  size_t section_offset = bytes.find(section);
  if (section_offset == std::string::npos) return "the section's bytes are not in the file";

  for (size_t at = 0; at + sizeof(BpfInstruction) <= section.size(); at += 8) {
    BpfInstruction instruction;
    std::memcpy(&instruction, section.data() + at, sizeof(instruction));
    bool multiplication =
        instruction.opcode == kMul64Immediate || instruction.opcode == kMul32Immediate;
    if (!multiplication || instruction.immediate != kFactor) continue;

    uint8_t destination = instruction.registers & 0x0f;
    BpfInstruction load{kLoad64, static_cast<uint8_t>(destination | kFramePointer << 4),
                        kPastStack, 0};
    std::memcpy(bytes.data() + section_offset + at, &load, sizeof(load));
    std::ofstream(object, std::ios::binary) << bytes;
    return "";
  }
  return "no multiplication by 1234567 in the program";
}

TEST(VerifierRejection, NamesSourceLineAndReason) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string source = dir.File("scaled.nu");
  std::ofstream(source) << kProbeFile;
  std::string object = dir.File("scaled.bpf.o");
  ASSERT_EQ(Compile(source, object), "");
  ASSERT_EQ(ReplaceMultiplication(object), "");

  for (const char* mode : {"--verify", ""}) {
    std::vector<std::string> argv = {NubpfRunPath(), object};
    if (*mode != '\0') argv.push_back(mode);
    RunResult result = RunToExit(argv);
    EXPECT_EQ(result.exit_code, 2) << mode;
    EXPECT_NE(result.err.find("the BPF verifier rejected program `sys_enter_getppid` (the "
                              "probe at " + source + ":1:1) in `" + object + "`: "),
              std::string::npos)
        << result.err;
    // The kernel's reason, on the message line.
    EXPECT_NE(result.err.find("off=-1024"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("compiled from " + source + ":2:"), std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("  2 |     let scaled = $e.pid * 1234567\n"), std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("    |"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("^\n"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("verifier log, last "), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("help: this is a bug in nubpfc"), std::string::npos) << result.err;
  }
}

// Without the .nu file, the line comes from the BTF, which LLVM filled in
// from the file when nubpfc compiled it.
TEST(VerifierRejection, SourceLineFromBtfWhenFileIsGone) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string source = dir.File("scaled.nu");
  std::ofstream(source) << kProbeFile;
  std::string object = dir.File("scaled.bpf.o");
  ASSERT_EQ(Compile(source, object), "");
  ASSERT_EQ(ReplaceMultiplication(object), "");
  std::remove(source.c_str());

  RunResult result = RunToExit({NubpfRunPath(), "--verify", object});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("compiled from " + source + ":2:"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("let scaled = $e.pid * 1234567\n"), std::string::npos)
      << result.err;
}

// The error shows the end of the log, and --verbose prints all of it
// first, down to the instruction the verifier stopped at.
TEST(VerifierRejection, VerbosePrintsWholeLog) {
  if (!CanLoadBpf()) GTEST_SKIP() << "loading BPF programs needs root";
  TempDir dir;
  std::string source = dir.File("scaled.nu");
  std::ofstream(source) << kProbeFile;
  std::string object = dir.File("scaled.bpf.o");
  ASSERT_EQ(Compile(source, object), "");
  ASSERT_EQ(ReplaceMultiplication(object), "");

  RunResult quiet = RunToExit({NubpfRunPath(), "--verify", object});
  EXPECT_EQ(quiet.err.find("the verifier log of program"), std::string::npos) << quiet.err;
  size_t tail = quiet.err.find("verifier log, last ");
  ASSERT_NE(tail, std::string::npos) << quiet.err;
  EXPECT_LE(std::stoi(quiet.err.substr(tail + 18)), 20) << quiet.err;

  RunResult verbose = RunToExit({NubpfRunPath(), "--verify", "--verbose", object});
  EXPECT_EQ(verbose.exit_code, 2);
  size_t whole = verbose.err.find("nubpf-run: the verifier log of program `sys_enter_getppid`:\n");
  ASSERT_NE(whole, std::string::npos) << verbose.err;
  EXPECT_NE(verbose.err.find("= *(u64 *)(r10 -1024)", whole), std::string::npos)
      << verbose.err;
}

}  // namespace
}  // namespace nubpf::testing
