// Kernel types through BTF: the MIR that CO-RE reads become, and the
// errors for members, pointers, enums and array indexes that do not fit.
// Every probe here compiles against the fake kernel BTF, whose types
// fake_kernel_btf.cpp lists.

#include "compile_helpers.h"
#include "compiler/mir_passes.h"
#include "fake_kernel_btf.h"
#include "gtest/gtest.h"

namespace nubpf::testing {
namespace {

class KernelTypes : public ::testing::Test {
 protected:
  // Checks `body` as the closure of a probe on syscalls:sys_exit_read.
  CheckResult Check(const std::string& body) {
    return CheckText("probe tracepoint:syscalls:sys_exit_read {|e|\n    " + body + "\n}\n",
                     tracefs_, "probe.nu", btf_.path());
  }
  static bool Has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }

  FakeTracefs tracefs_;
  FakeKernelBtf btf_;
};

TEST_F(KernelTypes, TaskIsKernelPointer) {
  CheckResult result = Check("emit {ppid: $e.task.real_parent.tgid}");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_TRUE(Has(result.mir, "%0: kernel(struct task_struct *) = task\n")) << result.mir;
  EXPECT_TRUE(Has(result.mir,
                  "%1: kernel(struct task_struct *) = core.read %0, task_struct.real_parent\n"))
      << result.mir;
  EXPECT_TRUE(Has(result.mir, "%2: i32 = core.read %1, task_struct.tgid\n")) << result.mir;
}

TEST_F(KernelTypes, ModuleListsUsedMembersOnly) {
  CheckResult result = Check("emit {ppid: $e.task.real_parent.tgid}");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_TRUE(Has(result.mir,
                  "kernel struct task_struct size 128 { tgid: i32 +32, "
                  "real_parent: struct task_struct * +40 }\n"))
      << result.mir;
}

TEST_F(KernelTypes, EmbeddedStructIsOneAccess) {
  CheckResult result = Check("emit {v: $e.task.se.vruntime}");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_TRUE(Has(result.mir, "= core.read %0, task_struct.se.vruntime\n")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "kernel struct sched_entity size 16 { vruntime: u64 +8 }"))
      << result.mir;
}

TEST_F(KernelTypes, CharArrayIsString) {
  CheckResult result = Check("emit {comm: $e.task.comm}");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_TRUE(Has(result.mir, "%1: u64 = core.addr %0, task_struct.comm\n")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "%2: string[16] = str.kchars %1\n")) << result.mir;
}

TEST_F(KernelTypes, CharPointersAreStrings) {
  CheckResult result =
      Check("emit {name: $e.task.name, file: $e.task.mm.exe_file.f_path.dentry.d_name.name}");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_TRUE(Has(result.mir, "kernel(char *) = core.read %0, task_struct.name\n"))
      << result.mir;
  EXPECT_TRUE(Has(result.mir, "= core.read %6, dentry.d_name.name\n")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "event#0 size 528 { name: string[256] +16, file: string[256] +272 }"))
      << result.mir;
}

TEST_F(KernelTypes, BitfieldMemberShowsBits) {
  CheckResult result = Check("emit {load: $e.task.sched_contributes_to_load}");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_TRUE(Has(result.mir, "sched_contributes_to_load: u32 +24.1:1")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "%1: u32 = core.read %0, task_struct.sched_contributes_to_load\n"))
      << result.mir;
}

TEST_F(KernelTypes, AnonymousUnionLookedThrough) {
  CheckResult result = Check("emit {raw: $e.task.raw}");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_TRUE(Has(result.mir, "= core.read %0, task_struct.(anonymous).raw\n")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "kernel union #1 size 4 { raw: u32 +0 }")) << result.mir;
}

TEST_F(KernelTypes, TypedefAndConstLookedThrough) {
  CheckResult result = Check("emit {uid: $e.task.cred.uid.val, pid: $e.task.pid}");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_TRUE(Has(result.mir, "kernel(struct cred *) = core.read %0, task_struct.cred\n"))
      << result.mir;
  EXPECT_TRUE(Has(result.mir, "u32 = core.read %1, cred.uid.val\n")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "i32 = core.read %3, task_struct.pid\n")) << result.mir;
}

TEST_F(KernelTypes, ConstantIndexInPath) {
  CheckResult result = Check("emit {p: $e.task.prio_array.3, nr: $e.task.thread_pid.numbers.7.nr}");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_TRUE(Has(result.mir, "i32 = core.read %0, task_struct.prio_array[3]\n")) << result.mir;
  // A flexible array takes any index.
  EXPECT_TRUE(Has(result.mir, "i32 = core.read %3, pid.numbers[7].nr\n")) << result.mir;
}

TEST_F(KernelTypes, ComputedIndexIsBounded) {
  CheckResult result = Check("let i = $e.ret\n    emit {p: ($e.task.prio_array | get $i)}");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_TRUE(Has(result.mir, "%2: u64 = core.addr %1, task_struct.prio_array\n")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "%3: u64 = array.element %2, %0, 4 x 4 bytes\n")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "%4: i32 = core.read %3, i32\n")) << result.mir;
}

TEST_F(KernelTypes, EnumComparesByName) {
  CheckResult result = Check("emit {tgid: ($e.task.kind == \"PIDTYPE_TGID\")}");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_TRUE(Has(result.mir, "kernel enum pid_type size 4 { PIDTYPE_TGID = 1 }")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "%2: u32 = core.enum enum pid_type.PIDTYPE_TGID\n")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "%3: bool = eq %1, %2\n")) << result.mir;
}

TEST_F(KernelTypes, EnumNamesInList) {
  CheckResult result = Check("emit {group: ($e.task.kind in [\"PIDTYPE_PGID\" \"PIDTYPE_SID\"])}");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_TRUE(Has(result.mir, "core.enum enum pid_type.PIDTYPE_PGID\n")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "core.enum enum pid_type.PIDTYPE_SID\n")) << result.mir;
}

TEST_F(KernelTypes, EnumNamesAsMatchPatterns) {
  CheckResult result = Check(
      "match $e.task.kind {\n        \"PIDTYPE_PID\" | \"PIDTYPE_TGID\" => { count }\n"
      "        _ => { emit {kind: $e.task.kind} }\n    }");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_TRUE(Has(result.mir, "i64 = core.enum enum pid_type.PIDTYPE_PID\n")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "i64 = core.enum enum pid_type.PIDTYPE_TGID\n")) << result.mir;
}

TEST_F(KernelTypes, PointerComparisons) {
  CheckResult result = Check(
      "emit {own: ($e.task == $e.task.real_parent), mm: ($e.task.mm != null), "
      "zero: ($e.task.mm == 0)}");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_TRUE(Has(result.mir, "u64 = cast %")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "bool = eq %")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "bool = ne %")) << result.mir;
}

TEST_F(KernelTypes, PointerSentAsAddress) {
  CheckResult result = Check("emit {task: $e.task}\n    $e.task | count");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_TRUE(Has(result.mir, "event#0 size 24 { task: u64 +16 }")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "key task: u64")) << result.mir;
}

TEST_F(KernelTypes, OptionalMissingInBtfIsNull) {
  CheckResult result = Check(
      "emit {missing: ($e.task.nubpf_missing? == null), "
      "value: ($e.task.nubpf_missing? | default 3)}");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_FALSE(Has(result.mir, "core.exists")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "bool = const true\n")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "i64 = const 3\n")) << result.mir;
}

TEST_F(KernelTypes, OptionalPresentChecksExistence) {
  CheckResult result = Check("emit {pid: ($e.task.pid? | default 3)}");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_TRUE(Has(result.mir, "%1: bool = core.exists task_struct.pid\n")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "branch %1, bb1, bb2\n")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "%2: i32 = core.read %0, task_struct.pid guarded\n"))
      << result.mir;
}

TEST_F(KernelTypes, OptionalPathReadsUnderCheck) {
  CheckResult result = Check("emit {vm: ($e.task.mm?.total_vm | default 0)}");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  // The pointer is read under the check; the member after it is read
  // through that pointer, which is 0 where the member is missing.
  EXPECT_TRUE(Has(result.mir, "kernel(struct mm_struct *) = core.read %0, task_struct.mm guarded\n"))
      << result.mir;
  EXPECT_TRUE(Has(result.mir, "u64 = core.read %2, mm_struct.total_vm\n")) << result.mir;
}

TEST_F(KernelTypes, OptionalStringDefault) {
  CheckResult result = Check("emit {comm: ($e.task.comm? | default \"none\")}");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_TRUE(Has(result.mir, "u64 = core.addr %0, task_struct.comm guarded\n")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "comm: string[16] +16")) << result.mir;
}

TEST_F(KernelTypes, GuardedReadStaysUnderCheck) {
  CheckResult result = Check("emit {pid: ($e.task.pid? | default 3), tgid: $e.task.tgid}");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  mir::Module optimized = result.module;
  mir::OptimizeModule(&optimized);
  const mir::Function& function = optimized.functions[0];
  // The unguarded read moves to the entry block, the guarded one stays.
  bool tgid_in_entry = false;
  bool pid_in_entry = false;
  for (const mir::Instruction& instruction : function.blocks[0].instructions) {
    if (instruction.opcode != mir::Opcode::kCoreRead) continue;
    if (instruction.access.guarded) pid_in_entry = true;
    if (!instruction.access.guarded) tgid_in_entry = true;
  }
  EXPECT_TRUE(tgid_in_entry);
  EXPECT_FALSE(pid_in_entry);
}

TEST_F(KernelTypes, RepeatedReadsHoistedOnce) {
  CheckResult result = Check(
      "emit {a: $e.task.real_parent.tgid}\n    emit {b: $e.task.real_parent.tgid}");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  mir::Module optimized = result.module;
  mir::OptimizeModule(&optimized);
  size_t reads = 0;
  for (const mir::Block& block : optimized.functions[0].blocks) {
    for (const mir::Instruction& instruction : block.instructions) {
      if (instruction.opcode == mir::Opcode::kCoreRead) ++reads;
    }
  }
  EXPECT_EQ(reads, 2u);
}

TEST_F(KernelTypes, UnusedReadRemoved) {
  CheckResult result = Check("let unused = $e.task.real_parent.tgid\n    count");
  ASSERT_TRUE(result.ok) << result.diagnostics;
  mir::Module optimized = result.module;
  mir::OptimizeModule(&optimized);
  for (const mir::Instruction& instruction : optimized.functions[0].blocks[0].instructions) {
    EXPECT_NE(instruction.opcode, mir::Opcode::kCoreRead);
  }
}

TEST_F(KernelTypes, UserPointerFromSyscallTracepoint) {
  CheckResult result = CheckText(
      "probe tracepoint:syscalls:sys_enter_newstat {|e| emit {stat: $e.statbuf} }\n",
      tracefs_, "probe.nu", btf_.path());
  ASSERT_TRUE(result.ok) << result.diagnostics;
  EXPECT_TRUE(Has(result.mir, "%1: user(struct stat *) = cast %0\n")) << result.mir;
  EXPECT_TRUE(Has(result.mir, "stat: u64 +16")) << result.mir;
}

struct KernelErrorCase {
  const char* name;
  const char* source;
  const char* expected;
};

class KernelTypeErrors : public ::testing::TestWithParam<KernelErrorCase> {
 protected:
  FakeTracefs tracefs_;
  FakeKernelBtf btf_;
};

TEST_P(KernelTypeErrors, ReportsAtSpan) {
  CheckResult result = CheckText(GetParam().source, tracefs_, "probe.nu", btf_.path());
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.diagnostics.find(GetParam().expected), std::string::npos)
      << result.diagnostics;
}

const KernelErrorCase kKernelErrorCases[] = {
    {"UnknownMemberNearest",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {p: $e.task.real_parnt} }\n",
     "probe.nu:1:63: error: `struct task_struct` has no member `real_parnt` in the kernel "
     "BTF\nprobe.nu:1:63: help: did you mean `real_parent`?"},
    {"UnknownMemberListed",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {p: $e.task.se.zzz} }\n",
     "error: `struct sched_entity` has no member `zzz` in the kernel BTF\n"
     "probe.nu:1:66: help: its members are `load`, `vruntime`"},
    {"MemberInsideAnonymousUnionNearest",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {p: $e.task.kinds} }\n",
     "help: did you mean `kind`?"},
    {"UserPointerFollowed",
     "probe tracepoint:syscalls:sys_enter_newstat {|e| emit {s: $e.statbuf.st_size} }\n",
     "probe.nu:1:70: error: cannot read `st_size` through the user pointer "
     "`user(struct stat *)`"},
    {"UserPointerComparedWithKernel",
     "probe tracepoint:syscalls:sys_enter_newstat {|e| emit {s: ($e.statbuf == $e.task)} }\n",
     "probe.nu:1:71: error: cannot compare `user(struct stat *)` with "
     "`kernel(struct task_struct *)`"},
    {"PointerComparedWithInt",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {s: ($e.task == 5)} }\n",
     "error: cannot compare the pointer `kernel(struct task_struct *)` with an `int`"},
    {"PointerArithmetic",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {s: ($e.task + 8)} }\n",
     "error: `+` takes numbers, but this is a `kernel(struct task_struct *)`"},
    {"BadEnumName",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {k: ($e.task.kind == \"PIDTYPE_TGD\")} }\n",
     "probe.nu:1:72: error: `enum pid_type` has no enumerator `PIDTYPE_TGD`\n"
     "probe.nu:1:72: help: did you mean `\"PIDTYPE_TGID\"`?"},
    {"BadEnumNameInMatch",
     "probe tracepoint:syscalls:sys_exit_read {|e| match $e.task.kind { \"PIDTYPE_X\" => { count } } }\n",
     "error: `enum pid_type` has no enumerator `PIDTYPE_X`"},
    {"ArrayIndexOutOfRange",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {p: $e.task.prio_array.4} }\n",
     "probe.nu:1:74: error: index 4 is out of range for `int[4]`\n"
     "probe.nu:1:74: help: use an index from 0 to 3, or `.4?` for null"},
    {"ArrayIndexedByName",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {p: $e.task.prio_array.first} }\n",
     "error: `int[4]` is an array, which has elements instead of fields"},
    {"StructAsValue",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {s: $e.task.se} }\n",
     "error: an event field cannot hold a `struct sched_entity`"},
    {"DeclaredOnlyStruct",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {f: $e.task.files.count} }\n",
     "error: cannot read `count` through `kernel(struct files_struct *)`: the kernel BTF "
     "declares the struct but does not define it"},
    {"VoidPointerFollowed",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {m: $e.task.mm.exe_file.f_path.mnt.x} }\n",
     "error: cannot read `x` through `kernel(void *)`, which does not point to a struct or union"},
    {"MemberOfInteger",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {p: $e.task.pid.x} }\n",
     "error: cannot read field `x` of an `i32`"},
    {"OptionalUsedAsValue",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {p: ($e.task.pid? + 1)} }\n",
     "error: `+` takes numbers, but this is an `i32 or null`"},
    {"OptionalEventField",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {p: $e.task.pid?} }\n",
     "error: an event field cannot be null in a probe"},
    {"OptionalDefaultOfOtherType",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {p: ($e.task.pid? | default \"x\")} }\n",
     "error: `default` gives a `string` in place of an `i32`"},
    {"ComputedIndexNotInteger",
     "probe tracepoint:syscalls:sys_exit_read {|e| emit {p: ($e.task.prio_array | get $e.comm)} }\n",
     "error: an array index must be an integer, but this is a `string[16]`"},
};

INSTANTIATE_TEST_SUITE_P(Cases, KernelTypeErrors, ::testing::ValuesIn(kKernelErrorCases),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace nubpf::testing
