// Turns hand-written LLVM IR fixtures into BPF objects, for tests of object
// contents that nubpfc does not emit yet.
#pragma once

#include <string>

namespace nubpf::testing {

// Assembles the LLVM IR file `ir_path` into the BPF object `object_path`
// with LLVM 19's `opt -O2` and `llc -march=bpf -filetype=obj`. opt runs
// first because llc alone does not lower the CO-RE intrinsics
// (llvm.preserve.*.access.index, llvm.bpf.preserve.field.info): the BPF
// passes that do are registered only in opt's pipeline. Returns the tools'
// messages on failure and an empty string on success.
std::string AssembleBpfIr(const std::string& ir_path, const std::string& object_path);

// Returns the path of LLVM 19's tool `name`, such as "llvm-objcopy", which
// unlike GNU objcopy reads BPF objects.
std::string LlvmToolPath(const std::string& name);

}  // namespace nubpf::testing
