// Checks, before loading, that the kernel BTF an object needs is there.
// CO-RE relocations need the BTF of the running kernel's types, which
// `--btf FILE` may give. tp_btf, fentry and fexit programs need the
// kernel's own BTF (/sys/kernel/btf/vmlinux) for their BTF ids.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/error.h"
#include "runtime/load_state.h"

namespace nubpf::runtime {

inline constexpr const char* kVmlinuxBtfPath = "/sys/kernel/btf/vmlinux";

// The parts of an object that need kernel BTF.
struct KernelBtfNeeds {
  // The programs of tp_btf, fentry and fexit probes.
  std::vector<std::string> btf_id_programs;
  bool core_relocations = false;
};

// Returns whether the `.BTF.ext` section of the object in `object_bytes`
// has CO-RE relocations, from its header's core_relo_len. Returns false
// without the section or when the bytes are not ELF.
bool HasCoreRelocations(std::string_view object_bytes);

// Checks `needs` against the kernel BTF at `vmlinux_path` and, when not
// empty, the `--btf` file `custom_btf_path`: that file must parse as BTF,
// and without it the CO-RE relocations need the kernel's. The errors name
// `object_path`, what needs BTF and what to do.
std::optional<Error> CheckKernelBtf(const std::string& object_path, const KernelBtfNeeds& needs,
                                    const std::string& vmlinux_path,
                                    const std::string& custom_btf_path);

// The load step: CheckKernelBtf() for the programs that would load, with
// /sys/kernel/btf/vmlinux and `state.options.btf_path`.
std::optional<Error> CheckKernelBtfStep(LoadState& state);

}  // namespace nubpf::runtime
