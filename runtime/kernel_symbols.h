// The kernel's function symbols from /proc/kallsyms, which name the frames
// of kernel stacks: `do_syscall_64+0x5a`, `nf_hook_slow+0x44 [nf_tables]`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/error.h"

namespace nubpf::runtime {

class KernelSymbols {
 public:
  // Parses text in the format of /proc/kallsyms: `ADDRESS TYPE NAME`, with
  // `[MODULE]` after the symbols of a module. Keeps the text symbols (types
  // `t`, `T`, `w` and `W`) at nonzero addresses, and skips other lines:
  // kallsyms shows every address as 0 to a reader without CAP_SYSLOG.
  static KernelSymbols Parse(std::string_view text);

  // Reads and parses `path`, and fails when it cannot be read.
  static ErrorOr<KernelSymbols> Load(const std::string& path);

  // Returns `NAME+0xOFFSET`, or `NAME+0xOFFSET [MODULE]` for a module's
  // symbol: the symbol that contains `address`, which runs up to the next
  // symbol. A return address is looked up 1 byte lower, because a call
  // that ends a function returns to the first byte after it. Returns
  // nullopt below the first symbol and at or past the last, which has no
  // known end. Of several symbols at one address, the first in the file
  // names it.
  std::optional<std::string> Name(uint64_t address, bool is_return_address) const;

  size_t size() const { return symbols_.size(); }

 private:
  struct Symbol {
    uint64_t address = 0;
    std::string name;
    // Index into modules_, or -1 for the kernel image.
    int32_t module = -1;
  };

  // Sorted by address; equal addresses keep their order in the file.
  std::vector<Symbol> symbols_;
  std::vector<std::string> modules_;
};

}  // namespace nubpf::runtime
