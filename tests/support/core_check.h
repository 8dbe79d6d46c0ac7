// Checks whether every CO-RE relocation of a BPF object resolves against a
// given kernel's BTF, with libbpf doing the resolution.
//
// libbpf 1.1 computes CO-RE relocations only inside bpf_object__load(). So
// the check opens the object with `btf_custom_path` set to the kernel's BTF
// and loads it into the running kernel with libbpf's debug log captured. It
// then reads each relocation's outcome from that log and closes the object.
// This needs the privileges of loading BPF programs (root, or CAP_BPF with
// CAP_PERFMON). Whether the programs then pass this machine's verifier is
// reported apart from the relocations, since the offsets are another
// kernel's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/core_records.h"

namespace nubpf::testing {

enum class CoreOutcome {
  // libbpf patched the instruction with `value`.
  kPatched,
  // No target field or type matched, so libbpf replaced the instruction with
  // an invalid helper call. The verifier accepts this only in dead code, such
  // as a read guarded by a field-exists check that returned 0.
  kPoisoned,
  // libbpf rejected the relocation, and with it the whole load.
  kFailed,
  // libbpf logged nothing for the relocation: an earlier relocation failed,
  // or its program is not loaded (autoload off).
  kNotReached,
};

struct CoreRelocationResult {
  CoreRecord record;
  CoreOutcome outcome = CoreOutcome::kNotReached;
  // The patched value: a byte offset, 0 or 1 for an existence check, a type
  // id, a size. Only meaningful when `outcome` is kPatched.
  uint64_t value = 0;
  // libbpf's description of the matched target, such as
  // "<byte_off> [193] struct task_struct.real_parent (0:86 @ offset 2432)";
  // empty when no target matched or none is needed (local_type_id).
  std::string target;
  // libbpf's warnings about this relocation, for kFailed.
  std::string message;
};

struct CoreCheck {
  // Why the check could not run (unreadable object or BTF, no privileges);
  // empty when it ran.
  std::string error;
  // Every relocation the object's .BTF.ext lists, in that order.
  std::vector<CoreRelocationResult> relocations;
  // Why loading failed after the relocation step, or empty. Informational:
  // a program relocated for another kernel may fail this kernel's verifier.
  std::string load_error;
  // libbpf's whole log of the open and load.
  std::string log;
};

// Resolves the CO-RE relocations of the object at `object_path` against the
// BTF at `btf_path` (a raw BTF file or an ELF file with .BTF).
CoreCheck CheckCoreRelocations(const std::string& object_path, const std::string& btf_path);

// True when libbpf patched the relocation; a field-exists check that found
// no field counts as resolved, with value 0.
bool Resolved(const CoreRelocationResult& result);

// Formats one relocation as a line for test messages and the CLI:
// "read_task_fields insn 5: byte_off struct task_struct.real_parent (0:2):
// resolved to 2432".
std::string FormatCoreRelocation(const CoreRelocationResult& result);

}  // namespace nubpf::testing
