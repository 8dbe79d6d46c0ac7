// State shared by the lowering of the module and of each function: the LLVM
// module being built, its debug-info builder and the maps programs use.
#pragma once

#include <memory>
#include <vector>

#include "backend/backend.h"
#include "backend/kernel_debug_types.h"
#include "compiler/mir.h"
#include "frontend/source.h"
#include "llvm/IR/DIBuilder.h"
#include "llvm/IR/Module.h"

namespace nubpf::backend {

// Strings of at most this many bytes are read into stack slots. Longer ones
// go to the per-CPU scratch map, because the BPF stack has 512 bytes.
inline constexpr uint32_t kMaxStackString = 64;

// Stack bytes one program gives to string slots. Strings past it go to the
// scratch map too, so that many short strings cannot exceed the 512 bytes,
// and the rest is left for integer slots and LLVM's spills.
inline constexpr uint32_t kStackStringBudget = 256;

// The largest scratch area, as the kernel limits the value of a per-CPU
// array to 32 KiB (PCPU_MIN_UNIT_SIZE).
inline constexpr uint32_t kMaxScratchBytes = 32 * 1024;

// The first value of a new aggregation key comes from zeroed stack bytes
// up to this size, which take a store per word. Larger values, such as a
// histogram's 520 bytes, come from the `nubpf_zero` map.
inline constexpr uint32_t kMaxStackZeroBytes = 64;

struct LoweringContext {
  const mir::Module& mir;
  const frontend::SourceFile& source;
  const BackendOptions& options;
  llvm::Module& module;
  llvm::DIBuilder& debug;
  llvm::DICompileUnit* unit = nullptr;
  llvm::DIFile* file = nullptr;

  llvm::GlobalVariable* events_map = nullptr;  // null without `emit`
  llvm::GlobalVariable* scratch_map = nullptr;
  std::vector<llvm::GlobalVariable*> aggregation_maps{};  // by aggregation index
  std::vector<llvm::GlobalVariable*> store_maps{};        // by store index
  std::vector<llvm::GlobalVariable*> globals{};           // by global index
  std::vector<llvm::GlobalVariable*> parameters{};        // by parameter index
  // `nubpf_zero` gives a new key a first value too large for the stack.
  // The `.bss` counters `nubpf_lost` (events that did not fit in the ring
  // buffer) and `nubpf_drops` (inserts that full maps rejected, by drop
  // slot). Each is null when nothing needs it.
  llvm::GlobalVariable* zero_map = nullptr;
  llvm::GlobalVariable* lost_counter = nullptr;
  llvm::GlobalVariable* drop_counters = nullptr;
  // The BTF struct of each event's records, by event id.
  std::vector<llvm::DICompositeType*> event_types{};
  // The next sequence number of a `llvm.bpf.btf.type.id` or
  // `llvm.bpf.preserve.enum.value` call, which must be unique in the module.
  uint32_t type_id_calls = 0;
  // The kernel types CO-RE accesses name (kernel_debug_types.cpp).
  KernelTypeLowering kernel_types = {};

  // The largest scratch area one program needs; the scratch map's value.
  uint32_t scratch_bytes = 0;
};

// Creates the `.data` variables of the module's globals, with the debug
// info that makes their BTF and the section's DATASEC (global_lowering.cpp).
void LowerGlobals(LoweringContext& context);

// Creates the `.bss` counters of lost events and dropped inserts, when the
// module has events or maps that can drop (global_lowering.cpp).
void LowerCounters(LoweringContext& context);

// Creates the `.rodata` variables of the flags of `def main`, which the
// loader sets before loading (parameter_lowering.cpp).
void LowerParameters(LoweringContext& context);

// Lowers one MIR function into a BPF program of `context.module`.
void LowerFunction(LoweringContext& context, const mir::Function& function);

}  // namespace nubpf::backend
