#include "runtime/stack_symbolizer.h"

#include <fmt/core.h>

namespace nubpf::runtime {

void StackSymbolizer::Name(StackTrace& stack) {
  if (stack.user) {
    stack.frames = user_.NameFrames(stack.pid, stack.addresses);
    return;
  }
  const KernelSymbols& kernel = Kernel();
  stack.frames.clear();
  for (size_t i = 0; i < stack.addresses.size(); ++i) {
    std::optional<std::string> name = kernel.Name(stack.addresses[i], i > 0);
    stack.frames.push_back(name ? *name : fmt::format("{:#x}", stack.addresses[i]));
  }
}

const KernelSymbols& StackSymbolizer::Kernel() {
  if (kernel_) return *kernel_;
  ErrorOr<KernelSymbols> loaded = KernelSymbols::Load(kallsyms_path_);
  if (!loaded) {
    if (warnings_ != nullptr) {
      fmt::print(warnings_, "{}: warning: {}; kernel stacks show addresses\n", ProgramName(),
                 loaded.error().message);
    }
    kernel_.emplace();
    return *kernel_;
  }
  kernel_ = std::move(*loaded);
  if (kernel_->size() == 0 && warnings_ != nullptr) {
    fmt::print(warnings_,
               "{}: warning: `{}` shows no kernel addresses, as it does "
               "without CAP_SYSLOG; kernel stacks show addresses\n", ProgramName(),
               kallsyms_path_);
  }
  return *kernel_;
}

}  // namespace nubpf::runtime
