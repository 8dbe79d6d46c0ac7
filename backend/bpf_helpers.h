// Calls of BPF helpers. A helper is called through its number cast to a
// function pointer, which the BPF backend turns into `call N`. C programs
// get the same code from `static long (*bpf_x)(...) = (void *) N;`.
#pragma once

#include <cstdint>

#include "llvm/IR/IRBuilder.h"

namespace nubpf::backend {

// Helper numbers from the kernel's `enum bpf_func_id`
// (include/uapi/linux/bpf.h); they never change once released.
enum class Helper : uint64_t {
  kMapLookupElem = 1,
  kMapUpdateElem = 2,
  kMapDeleteElem = 3,
  kKtimeGetNs = 5,
  kGetSmpProcessorId = 8,
  kGetCurrentPidTgid = 14,
  kGetCurrentUidGid = 15,
  kGetCurrentComm = 16,
  kGetCurrentTask = 35,
  kGetStack = 67,
  kGetCurrentCgroupId = 80,
  kProbeReadUser = 112,
  kProbeReadKernel = 113,
  kProbeReadUserStr = 114,
  kProbeReadKernelStr = 115,
  kRingbufReserve = 131,
  kRingbufSubmit = 132,
};

// Flags of bpf_map_update_elem.
inline constexpr uint64_t kUpdateNoExist = 1;

// The flag of bpf_get_stack that selects the user stack (BPF_F_USER_STACK).
inline constexpr uint64_t kGetStackUser = 1 << 8;

// Emits a call of `helper`. Every helper returns a 64-bit value; pointer
// results are converted by the caller.
inline llvm::Value* CallHelper(llvm::IRBuilder<>& builder, Helper helper,
                               llvm::ArrayRef<llvm::Value*> arguments,
                               llvm::Type* result_type = nullptr) {
  llvm::LLVMContext& context = builder.getContext();
  if (result_type == nullptr) result_type = builder.getInt64Ty();
  std::vector<llvm::Type*> parameter_types;
  for (llvm::Value* argument : arguments) {
    parameter_types.push_back(argument->getType());
  }
  auto* type = llvm::FunctionType::get(result_type, parameter_types, false);
  llvm::Constant* address = llvm::ConstantExpr::getIntToPtr(
      builder.getInt64(static_cast<uint64_t>(helper)),
      llvm::PointerType::get(context, 0));
  return builder.CreateCall(type, address, arguments);
}

}  // namespace nubpf::backend
