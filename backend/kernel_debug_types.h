// The kernel types of a MIR module (mir::Module::kernel_types) as LLVM
// debug types, which become the object's `.BTF` types and which CO-RE
// access intrinsics name, and as the IR types those intrinsics take.
#pragma once

#include <vector>

#include "compiler/mir_kernel_types.h"
#include "llvm/IR/DIBuilder.h"
#include "llvm/IR/Module.h"

namespace nubpf::backend {

struct KernelTypeLowering {
  // By mir::KernelTypeId.
  std::vector<llvm::DIType*> debug;
  std::vector<llvm::Type*> ir;
  // For a struct: the IR element that contains each member, by the member's
  // position in mir::KernelType::members.
  std::vector<std::vector<unsigned>> elements;
};

KernelTypeLowering LowerKernelTypes(const std::vector<mir::KernelType>& types,
                                    llvm::DIBuilder& debug, llvm::DIScope* scope,
                                    llvm::DIFile* file, llvm::LLVMContext& context);

}  // namespace nubpf::backend
