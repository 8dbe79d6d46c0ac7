// The backend: the object has the sections and metadata the contract in
// docs/object-format.md promises, and the same input gives the same bytes.

#include <cstring>
#include <regex>
#include <set>

#include "backend/backend.h"
#include "compile_helpers.h"
#include "gtest/gtest.h"

namespace nubpf::testing {
namespace {

constexpr char kOpensnoop[] =
    "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
    "    emit {pid: $e.pid, comm: $e.comm, file: $e.filename}\n"
    "    $e.comm | count\n"
    "}\n";

std::string EmitObject(const CheckResult& checked) {
  std::string object;
  std::string error;
  backend::BackendOptions options;
  EXPECT_TRUE(backend::Emit(checked.module, checked.source, options,
                            backend::OutputKind::kObject, &object, &error))
      << error;
  return object;
}

std::string EmitIr(const CheckResult& checked) {
  std::string ir;
  std::string error;
  EXPECT_TRUE(backend::Emit(checked.module, checked.source, {},
                            backend::OutputKind::kLlvmIr, &ir, &error))
      << error;
  return ir;
}

// Returns the names and contents of the ELF64 little-endian sections.
std::map<std::string, std::string> Sections(const std::string& elf) {
  std::map<std::string, std::string> sections;
  auto read16 = [&](size_t at) { uint16_t v; std::memcpy(&v, &elf[at], 2); return v; };
  auto read32 = [&](size_t at) { uint32_t v; std::memcpy(&v, &elf[at], 4); return v; };
  auto read64 = [&](size_t at) { uint64_t v; std::memcpy(&v, &elf[at], 8); return v; };
  uint64_t table = read64(0x28);
  uint16_t entry_size = read16(0x3a);
  uint16_t count = read16(0x3c);
  uint16_t names_index = read16(0x3e);
  uint64_t names_offset = read64(table + names_index * entry_size + 0x18);
  for (uint16_t i = 1; i < count; ++i) {
    size_t header = table + i * entry_size;
    std::string name = elf.c_str() + names_offset + read32(header);
    uint64_t offset = read64(header + 0x18);
    uint64_t size = read64(header + 0x20);
    sections[name] = elf.substr(offset, size);
  }
  return sections;
}

class Backend : public ::testing::Test {
 protected:
  FakeTracefs tracefs_;
};

TEST_F(Backend, ObjectIsElfForBpf) {
  CheckResult checked = CheckText(kOpensnoop, tracefs_);
  ASSERT_TRUE(checked.ok) << checked.diagnostics;
  std::string object = EmitObject(checked);
  ASSERT_GT(object.size(), 64u);
  EXPECT_EQ(object.substr(0, 4), "\x7f" "ELF");
  EXPECT_EQ(object[4], 2) << "ELFCLASS64";
  EXPECT_EQ(object[5], 1) << "little-endian";
  uint16_t machine;
  std::memcpy(&machine, &object[0x12], 2);
  EXPECT_EQ(machine, 247) << "EM_BPF";
}

TEST_F(Backend, ObjectHasContractSections) {
  CheckResult checked = CheckText(kOpensnoop, tracefs_);
  ASSERT_TRUE(checked.ok) << checked.diagnostics;
  std::map<std::string, std::string> sections = Sections(EmitObject(checked));
  for (const char* name : {"tracepoint/syscalls/sys_enter_openat", ".maps",
                           "license", ".BTF", ".BTF.ext", ".nubpf"}) {
    EXPECT_TRUE(sections.count(name)) << name;
  }
  EXPECT_EQ(sections["license"], std::string("GPL\0", 4));
  EXPECT_FALSE(sections.count(".eh_frame"));
}

TEST_F(Backend, MetadataDescribesEventsAndAggregations) {
  CheckResult checked = CheckText(kOpensnoop, tracefs_);
  ASSERT_TRUE(checked.ok) << checked.diagnostics;
  std::map<std::string, std::string> sections = Sections(EmitObject(checked));
  EXPECT_EQ(sections[".nubpf"],
            "nubpf\t6\n"
            "source\tprobe.nu\n"
            "nubpfc\t" NUBPF_RELEASE "\n"
            "program\tsys_enter_openat\ttracepoint:syscalls:sys_enter_openat\t1\t1\n"
            "attach\tsys_enter_openat\tsection\n"
            "event\t0\t296\tsys_enter_openat\t2\t5\n"
            "field\t0\tpid\tu32\t16\t4\n"
            "field\t0\tcomm\tstring\t24\t16\n"
            "field\t0\tfile\tstring\t40\t256\n"
            "aggregation\tcount_by_comm\tcount\t3\t15\t-\t16\t10240\t0\n"
            "key\tcount_by_comm\tcomm\tstring\t0\t16\n");
}

TEST_F(Backend, BtfNamesMaps) {
  CheckResult checked = CheckText(kOpensnoop, tracefs_);
  ASSERT_TRUE(checked.ok) << checked.diagnostics;
  std::string btf = Sections(EmitObject(checked))[".BTF"];
  for (const char* name : {"nubpf_events", "count_by_comm", "sys_enter_openat", ".bss",
                           "nubpf_lost", "nubpf_drops"}) {
    EXPECT_NE(btf.find(std::string(name) + '\0'), std::string::npos) << name;
  }
  // A count's first value, 8 bytes, comes from the stack.
  EXPECT_EQ(btf.find(std::string("nubpf_zero") + '\0'), std::string::npos);
}

// A histogram's 520-byte first value does not fit on the stack, so it
// comes from the `nubpf_zero` map.
TEST_F(Backend, KeyedHistogramHasZeroMap) {
  CheckResult checked = CheckText(
      "probe tracepoint:syscalls:sys_enter_openat {|e| $e.flags | histogram --by $e.comm }\n",
      tracefs_);
  ASSERT_TRUE(checked.ok) << checked.diagnostics;
  std::string btf = Sections(EmitObject(checked))[".BTF"];
  EXPECT_NE(btf.find(std::string("nubpf_zero") + '\0'), std::string::npos);
}

// Every kind writes an `aggregation` line, with `key` lines for a keyed one
// and a `linear` line for a linear histogram. Only keyed maps that are not
// LRU get a drop slot.
TEST_F(Backend, MetadataDescribesEveryAggregationKind) {
  CheckResult checked = CheckText(
      "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
      "    count\n"
      "    $e.flags | math sum --by {comm: $e.comm, pid: $e.pid}\n"
      "    ($e.flags * 1ms) | math avg --as wait\n"
      "    ($e.flags * 1kb) | math min --by $e.pid --lru\n"
      "    $e.flags | math max --by $e.comm --max-entries 8\n"
      "    $e.flags | stats\n"
      "    $e.flags | histogram\n"
      "    $e.flags | histogram --linear -10 95 10\n"
      "}\n",
      tracefs_);
  ASSERT_TRUE(checked.ok) << checked.diagnostics;
  std::string metadata = Sections(EmitObject(checked))[".nubpf"];
  metadata = metadata.substr(metadata.find("aggregation\t"));
  EXPECT_EQ(metadata,
            "aggregation\tcount\tcount\t2\t5\t-\t0\t1\t-\n"
            "aggregation\tsum_flags_by_comm_pid\tsum\t3\t16\ti64\t24\t10240\t0\n"
            "key\tsum_flags_by_comm_pid\tcomm\tstring\t0\t16\n"
            "key\tsum_flags_by_comm_pid\tpid\tu32\t16\t4\n"
            "aggregation\twait\tavg\t4\t24\tduration\t0\t1\t-\n"
            "aggregation\tmin_by_pid\tmin\t5\t24\tfilesize\t8\t10240\t-\n"
            "key\tmin_by_pid\tpid\tu32\t0\t4\n"
            "aggregation\tmax_flags_by_comm\tmax\t6\t16\ti64\t16\t8\t1\n"
            "key\tmax_flags_by_comm\tcomm\tstring\t0\t16\n"
            "aggregation\tstats_flags\tstats\t7\t16\ti64\t0\t1\t-\n"
            "aggregation\thistogram_flags\thistogram\t8\t16\ti64\t0\t1\t-\n"
            "aggregation\thistogram_flags_2\tlinear\t9\t16\ti64\t0\t1\t-\n"
            "linear\thistogram_flags_2\t-10\t95\t10\n");
}

// Each record's struct is in `.BTF`, with its fields as members, kept there
// by the CO-RE relocation of its type id in `.BTF.ext`.
TEST_F(Backend, BtfDescribesEventRecords) {
  CheckResult checked = CheckText(
      "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
      "    emit {pid: $e.pid, \"file name\": $e.filename}\n"
      "    print $\"($e.comm)\"\n"
      "}\n",
      tracefs_);
  ASSERT_TRUE(checked.ok) << checked.diagnostics;
  std::map<std::string, std::string> sections = Sections(EmitObject(checked));
  const std::string& btf = sections[".BTF"];
  for (const char* name : {"nubpf_event_0", "nubpf_print_1", "event_id", "btf_type_id",
                           "pid", "file_name", "value_0"}) {
    EXPECT_NE(btf.find(std::string(1, '\0') + name + '\0'), std::string::npos) << name;
  }
  EXPECT_FALSE(sections[".BTF.ext"].empty());
}

TEST_F(Backend, SameInputSameBytes) {
  CheckResult first = CheckText(kOpensnoop, tracefs_);
  CheckResult second = CheckText(kOpensnoop, tracefs_);
  ASSERT_TRUE(first.ok) << first.diagnostics;
  ASSERT_TRUE(second.ok) << second.diagnostics;
  EXPECT_EQ(EmitObject(first), EmitObject(second));
}

TEST_F(Backend, LlvmIrHasProgramSection) {
  CheckResult checked = CheckText(kOpensnoop, tracefs_);
  ASSERT_TRUE(checked.ok) << checked.diagnostics;
  std::string ir = EmitIr(checked);
  EXPECT_NE(ir.find("section \"tracepoint/syscalls/sys_enter_openat\""),
            std::string::npos);
  EXPECT_NE(ir.find("target triple = \"bpfel\""), std::string::npos);
}

// Returns the distinct source lines of the `!DILocation`s in `ir`.
std::set<std::string> LocationLines(const std::string& ir) {
  std::set<std::string> lines;
  for (size_t at = ir.find("!DILocation(line: "); at != std::string::npos;
       at = ir.find("!DILocation(line: ", at + 1)) {
    size_t begin = at + std::strlen("!DILocation(line: ");
    lines.insert(ir.substr(begin, ir.find(',', begin) - begin));
  }
  return lines;
}

// Line info maps each instruction to its own line, and without it every
// instruction carries the probe's line.
TEST_F(Backend, LineInfoFollowsFlag) {
  CheckResult checked = CheckText(kOpensnoop, tracefs_);
  ASSERT_TRUE(checked.ok) << checked.diagnostics;
  std::string error;
  std::string with_lines;
  ASSERT_TRUE(backend::Emit(checked.module, checked.source, {},
                            backend::OutputKind::kLlvmIr, &with_lines, &error));
  backend::BackendOptions options;
  options.line_info = false;
  std::string without_lines;
  ASSERT_TRUE(backend::Emit(checked.module, checked.source, options,
                            backend::OutputKind::kLlvmIr, &without_lines, &error));

  EXPECT_EQ(LocationLines(with_lines), (std::set<std::string>{"1", "2", "3"}));
  EXPECT_EQ(LocationLines(without_lines), (std::set<std::string>{"1"}));
}

// `==` reads the literal's length plus 2 bytes of a string in memory, and
// `str starts-with` its length plus 1, instead of the whole capacity.
TEST_F(Backend, LiteralComparisonReadsPrefix) {
  CheckResult checked = CheckText(
      "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
      "    if $e.filename == \"/etc\" { count }\n"
      "    if ($e.filename | str starts-with \"/pr\") { count }\n"
      "}\n",
      tracefs_);
  ASSERT_TRUE(checked.ok) << checked.diagnostics;
  std::string ir = EmitIr(checked);
  // Helper 114 is bpf_probe_read_user_str.
  EXPECT_TRUE(std::regex_search(ir, std::regex("i64 114 to ptr\\)\\(ptr [a-z ]*%[0-9]+, i32 6,")))
      << ir;
  EXPECT_TRUE(std::regex_search(ir, std::regex("i64 114 to ptr\\)\\(ptr [a-z ]*%[0-9]+, i32 4,")))
      << ir;
  EXPECT_EQ(ir.find("i32 256,"), std::string::npos) << ir;
}

constexpr char kStacks[] =
    "probe tracepoint:syscalls:sys_enter_openat {|e|\n"
    "    emit {k: $e.kstack, u: $e.ustack}\n"
    "    $e.ustack | count\n"
    "}\n";

TEST_F(Backend, MetadataDescribesStacks) {
  CheckResult checked = CheckText(kStacks, tracefs_);
  ASSERT_TRUE(checked.ok) << checked.diagnostics;
  std::string metadata = Sections(EmitObject(checked))[".nubpf"];
  // 32 frames: an 8-byte header and 32 addresses of 8 bytes.
  EXPECT_NE(metadata.find("field\t0\tk\tkstack\t16\t264\n"), std::string::npos) << metadata;
  EXPECT_NE(metadata.find("field\t0\tu\tustack\t280\t264\n"), std::string::npos) << metadata;
  EXPECT_NE(metadata.find("\tustack\tustack\t0\t264\n"), std::string::npos) << metadata;
}

TEST_F(Backend, BtfDescribesStacks) {
  CheckResult checked = CheckText(kStacks, tracefs_);
  ASSERT_TRUE(checked.ok) << checked.diagnostics;
  std::string btf = Sections(EmitObject(checked))[".BTF"];
  for (const char* name : {"nubpf_kstack_32", "nubpf_ustack_32", "frames", "addresses"}) {
    EXPECT_NE(btf.find(std::string(1, '\0') + name + '\0'), std::string::npos) << name;
  }
}

// Each use calls bpf_get_stack (helper 67) into its own buffer: 256 bytes
// of addresses after the header, with BPF_F_USER_STACK (256) for `ustack`.
TEST_F(Backend, StackUsesCallGetStack) {
  CheckResult checked = CheckText(kStacks, tracefs_);
  ASSERT_TRUE(checked.ok) << checked.diagnostics;
  std::string ir = EmitIr(checked);
  std::regex kernel("i64 67 to ptr\\)\\(ptr %ctx, ptr [a-z ]*%[0-9a-z_]+, i32 256, i64 0\\)");
  std::regex user("i64 67 to ptr\\)\\(ptr %ctx, ptr [a-z ]*%[0-9a-z_]+, i32 256, i64 256\\)");
  EXPECT_TRUE(std::regex_search(ir, kernel)) << ir;
  auto users = std::distance(std::sregex_iterator(ir.begin(), ir.end(), user),
                             std::sregex_iterator());
  EXPECT_EQ(users, 2) << ir;
}

}  // namespace
}  // namespace nubpf::testing
