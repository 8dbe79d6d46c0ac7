// A decoded `kstack` or `ustack` value, and the interface that names its
// frames. The probe sends only instruction addresses; the loader names
// them (stack_symbolizer.h) before it prints them.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

namespace nubpf::runtime {

struct StackTrace {
  bool user = false;
  // The process whose memory the addresses of a user stack belong to; 0
  // for kernel stacks.
  uint32_t pid = 0;
  // Top frame first: where the probe fired, then the return addresses.
  std::vector<uint64_t> addresses;
  // One name per address once a StackNamer has named them, such as
  // `do_syscall_64+0x5a`; empty until then.
  std::vector<std::string> frames;

  // Compares the values the probe sent, not the names.
  bool operator==(const StackTrace& other) const {
    return std::tie(user, pid, addresses) == std::tie(other.user, other.pid, other.addresses);
  }
  bool operator<(const StackTrace& other) const {
    return std::tie(user, pid, addresses) < std::tie(other.user, other.pid, other.addresses);
  }
};

// Names the frames of stacks. The loader's StackSymbolizer reads the
// kernel's and the processes' symbols; tests give fixed names.
class StackNamer {
 public:
  virtual ~StackNamer() = default;
  // Fills `stack.frames` with one name per address. A frame that cannot
  // be named gets its address in hex, with the file it lies in when known.
  virtual void Name(StackTrace& stack) = 0;
};

// Returns frame `index` as the output shows it: its name, or its address
// in hex (`0xffffffff8223c8e0`) when no StackNamer named it.
std::string FrameText(const StackTrace& stack, size_t index);

}  // namespace nubpf::runtime
