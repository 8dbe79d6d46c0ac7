// Lowering of a whole MIR module into an LLVM module for the BPF target:
// maps, programs, license and metadata.
#pragma once

#include <memory>

#include "backend/backend.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

namespace nubpf::backend {

inline constexpr const char* kTargetTriple = "bpfel";

// Returns null and sets `limit_error` when the probe needs more than the
// kernel allows, such as a scratch area over kMaxScratchBytes.
std::unique_ptr<llvm::Module> LowerModule(const mir::Module& mir,
                                          const frontend::SourceFile& source,
                                          const BackendOptions& options,
                                          const llvm::DataLayout& layout,
                                          llvm::LLVMContext& context,
                                          std::string* limit_error);

}  // namespace nubpf::backend
