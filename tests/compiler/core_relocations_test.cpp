// The CO-RE relocations that kernel member reads leave in `.BTF.ext`:
// their kind, the type they start at and their access string, which is
// what libbpf reads to relocate them on the kernel that loads the object.
// `.BTF.ext` and `.BTF` are read as the kernel's Documentation/bpf/btf.rst
// describes them.

#include <bpf/btf.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "compile_helpers.h"
#include "fake_kernel_btf.h"
#include "gtest/gtest.h"

namespace nubpf::testing {
namespace {

// libbpf's enum bpf_core_relo_kind.
enum RelocationKind : uint32_t {
  kFieldByteOffset = 0,
  kFieldByteSize = 1,
  kFieldExists = 2,
  kFieldLeftShift = 4,
  kFieldRightShift = 5,
  kEnumValue = 11,
};

struct Relocation {
  uint32_t kind = 0;
  std::string type;    // the name of the type the access starts at
  std::string access;  // such as `0:1`
};

uint32_t Read32(const std::string& bytes, size_t at) {
  uint32_t value;
  std::memcpy(&value, &bytes[at], 4);
  return value;
}

// Returns the contents of the ELF64 little-endian section `name`.
std::string Section(const std::string& elf, const std::string& name) {
  auto read16 = [&](size_t at) { uint16_t v; std::memcpy(&v, &elf[at], 2); return v; };
  auto read64 = [&](size_t at) { uint64_t v; std::memcpy(&v, &elf[at], 8); return v; };
  uint64_t table = read64(0x28);
  uint16_t entry_size = read16(0x3a);
  uint16_t count = read16(0x3c);
  uint64_t names = read64(table + read16(0x3e) * entry_size + 0x18);
  for (uint16_t i = 1; i < count; ++i) {
    size_t header = table + i * entry_size;
    if (name != elf.c_str() + names + Read32(elf, header)) continue;
    return elf.substr(read64(header + 0x18), read64(header + 0x20));
  }
  return "";
}

// Reads every CO-RE relocation record of the object's `.BTF.ext`.
std::vector<Relocation> ReadRelocations(const std::string& object) {
  std::string btf_data = Section(object, ".BTF");
  std::string ext = Section(object, ".BTF.ext");
  EXPECT_FALSE(btf_data.empty());
  EXPECT_FALSE(ext.empty());
  if (btf_data.empty() || ext.empty()) return {};
  struct btf* btf = btf__new(btf_data.data(), static_cast<uint32_t>(btf_data.size()));
  EXPECT_NE(btf, nullptr);
  if (btf == nullptr) return {};

  // The header: magic, version and flags in 4 bytes, then its length and
  // the offset and length of func info, line info and CO-RE relocations,
  // counted from the end of the header.
  uint32_t header_length = Read32(ext, 4);
  EXPECT_GE(header_length, 32u) << "no CO-RE relocation section";
  uint32_t start = header_length + Read32(ext, 24);
  uint32_t end = start + Read32(ext, 28);
  uint32_t record_size = Read32(ext, start);
  std::vector<Relocation> relocations;
  for (uint32_t at = start + 4; at < end;) {
    uint32_t records = Read32(ext, at + 4);
    at += 8;
    for (uint32_t i = 0; i < records; ++i, at += record_size) {
      Relocation relocation;
      const struct btf_type* type = btf__type_by_id(btf, Read32(ext, at + 4));
      relocation.type = btf__name_by_offset(btf, type->name_off);
      relocation.access = btf__name_by_offset(btf, Read32(ext, at + 8));
      relocation.kind = Read32(ext, at + 12);
      relocations.push_back(relocation);
    }
  }
  btf__free(btf);
  return relocations;
}

class CoreRelocations : public ::testing::Test {
 protected:
  std::vector<Relocation> Compile(const std::string& body) {
    CheckResult checked =
        CheckText("probe tracepoint:syscalls:sys_exit_read {|e|\n    " + body + "\n}\n",
                  tracefs_, "probe.nu", btf_.path());
    EXPECT_TRUE(checked.ok) << checked.diagnostics;
    std::string object;
    std::string error;
    EXPECT_TRUE(backend::Emit(checked.module, checked.source, {},
                              backend::OutputKind::kObject, &object, &error))
        << error;
    return ReadRelocations(object);
  }

  static bool Has(const std::vector<Relocation>& relocations, uint32_t kind,
                  const std::string& type, const std::string& access) {
    for (const Relocation& relocation : relocations) {
      if (relocation.kind == kind && relocation.type == type && relocation.access == access) {
        return true;
      }
    }
    return false;
  }

  static std::string List(const std::vector<Relocation>& relocations) {
    std::string listed;
    for (const Relocation& relocation : relocations) {
      listed += std::to_string(relocation.kind) + " " + relocation.type + " " +
                relocation.access + "\n";
    }
    return listed;
  }

  FakeTracefs tracefs_;
  FakeKernelBtf btf_;
};

TEST_F(CoreRelocations, PointerMembersRelocated) {
  // The object's task_struct has `tgid` and `real_parent`, in that order.
  std::vector<Relocation> relocations = Compile("emit {ppid: $e.task.real_parent.tgid}");
  EXPECT_TRUE(Has(relocations, kFieldByteOffset, "task_struct", "0:1")) << List(relocations);
  EXPECT_TRUE(Has(relocations, kFieldByteOffset, "task_struct", "0:0")) << List(relocations);
}

// LLVM's BPF CO-RE pass caches the globals of relocations for the whole
// process, so a second module with the same access in one process used
// to load the first module's freed global (AddressSanitizer reported it).
TEST_F(CoreRelocations, SameAccessTwiceInOneProcess) {
  std::vector<Relocation> first = Compile("emit {ppid: $e.task.real_parent.tgid}");
  std::vector<Relocation> second = Compile("emit {ppid: $e.task.real_parent.tgid}");
  EXPECT_TRUE(Has(second, kFieldByteOffset, "task_struct", "0:1")) << List(second);
  EXPECT_TRUE(Has(second, kFieldByteOffset, "task_struct", "0:0")) << List(second);
  EXPECT_EQ(List(first), List(second));
}

TEST_F(CoreRelocations, EmbeddedStructAndArrayInOneAccess) {
  std::vector<Relocation> relocations =
      Compile("emit {v: $e.task.se.vruntime, p: $e.task.prio_array.2}");
  EXPECT_TRUE(Has(relocations, kFieldByteOffset, "task_struct", "0:0:0")) << List(relocations);
  EXPECT_TRUE(Has(relocations, kFieldByteOffset, "task_struct", "0:1:2")) << List(relocations);
}

TEST_F(CoreRelocations, BitfieldHasFourRelocations) {
  std::vector<Relocation> relocations = Compile("emit {l: $e.task.sched_contributes_to_load}");
  for (uint32_t kind : {kFieldByteOffset, kFieldByteSize, kFieldLeftShift, kFieldRightShift}) {
    EXPECT_TRUE(Has(relocations, kind, "task_struct", "0:0"))
        << "kind " << kind << "\n" << List(relocations);
  }
}

TEST_F(CoreRelocations, OptionalMemberChecksExistence) {
  std::vector<Relocation> relocations = Compile("emit {p: ($e.task.pid? | default 0)}");
  EXPECT_TRUE(Has(relocations, kFieldExists, "task_struct", "0:0")) << List(relocations);
  EXPECT_TRUE(Has(relocations, kFieldByteOffset, "task_struct", "0:0")) << List(relocations);
}

TEST_F(CoreRelocations, EnumeratorValueRelocated) {
  // The object's pid_type lists only PIDTYPE_SID, so its access is `0`.
  std::vector<Relocation> relocations = Compile("emit {s: ($e.task.kind == \"PIDTYPE_SID\")}");
  EXPECT_TRUE(Has(relocations, kEnumValue, "pid_type", "0")) << List(relocations);
  EXPECT_TRUE(Has(relocations, kFieldByteOffset, "task_struct", "0:0:0")) << List(relocations);
}

}  // namespace
}  // namespace nubpf::testing
