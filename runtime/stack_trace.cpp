#include "runtime/stack_trace.h"

#include <fmt/core.h>

namespace nubpf::runtime {

std::string FrameText(const StackTrace& stack, size_t index) {
  if (index < stack.frames.size()) return stack.frames[index];
  return fmt::format("{:#x}", stack.addresses[index]);
}

}  // namespace nubpf::runtime
