// Lowering of MIR stack values. A stack is read where it is used, straight
// into the event field or the counter key, as strings are:
//
//   r0 = bpf_get_stack(ctx, destination + 8, 8 * depth, flags)
//   *(u32 *)(destination + 0) = r0 > 0 ? r0 / 8 : 0      frames
//   *(u32 *)(destination + 4) = pid for a user stack, else 0
//
// bpf_get_stack zeroes the part of the buffer it does not fill, and the
// whole buffer when it fails (kernel/bpf/stackmap.c), so a counter key
// never contains bytes of an earlier value.

#include "backend/bpf_helpers.h"
#include "backend/function_lowering.h"

namespace nubpf::backend {

void FunctionLowering::ReadStack(const mir::Type& type, llvm::Value* destination) {
  llvm::Type* u8 = builder_.getInt8Ty();
  llvm::Type* u32 = builder_.getInt32Ty();
  bool user = type.stack == mir::StackKind::kUser;

  llvm::Value* addresses =
      builder_.CreateConstInBoundsGEP1_32(u8, destination, mir::kStackHeaderSize);
  llvm::Value* written = CallHelper(
      builder_, Helper::kGetStack,
      {ctx_, addresses, builder_.getInt32(8 * type.stack_depth),
       builder_.getInt64(user ? kGetStackUser : 0)});

  // A negative result is an error, such as a user stack taken in a kernel
  // thread; the value then has no frames.
  llvm::Value* frames = builder_.CreateSelect(
      builder_.CreateICmpSGT(written, builder_.getInt64(0)),
      builder_.CreateLShr(written, 3), builder_.getInt64(0));
  builder_.CreateAlignedStore(builder_.CreateTrunc(frames, u32), destination,
                              llvm::Align(4));

  // The loader reads the process's memory map by this pid to name the
  // frames of a user stack.
  llvm::Value* pid = builder_.getInt32(0);
  if (user) {
    llvm::Value* both = CallHelper(builder_, Helper::kGetCurrentPidTgid, {});
    pid = builder_.CreateTrunc(builder_.CreateLShr(both, 32), u32);
  }
  builder_.CreateAlignedStore(pid, builder_.CreateConstInBoundsGEP1_32(u8, destination, 4),
                              llvm::Align(4));
}

}  // namespace nubpf::backend
