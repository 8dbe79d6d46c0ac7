// Names the addresses of user stacks: /proc/PID/maps gives the file each
// address lies in, and that file's ELF symbols name it.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/elf_symbol_table.h"

namespace nubpf::runtime {

// One line of /proc/PID/maps: bytes [start, end) of the process map the
// file `path` from `offset` on. `path` is empty for anonymous memory and
// names a pseudo file such as `[vdso]` or `[stack]` in brackets.
struct MemoryMapping {
  uint64_t start = 0;
  uint64_t end = 0;
  uint64_t offset = 0;
  std::string path;
};

// Parses the text of /proc/PID/maps, such as
// `7f3a1c028000-7f3a1c1bd000 r-xp 00028000 fe:01 1835 /usr/lib/libc.so.6`.
// Skips lines that do not parse. A path keeps its spaces and a
// ` (deleted)` suffix, as the kernel writes them.
std::vector<MemoryMapping> ParseMemoryMaps(std::string_view text);

class UserSymbols {
 public:
  // The number of processes whose maps stay cached unless a test sets
  // another. Reading one more drops the maps read first, so that a long run
  // over many short processes stays small.
  static constexpr size_t kMaxCachedProcesses = 4096;

  // `proc_root` is where the `PID/maps` files are: /proc, or a folder that
  // tests fill.
  explicit UserSymbols(std::string proc_root = "/proc",
                       size_t max_cached_processes = kMaxCachedProcesses)
      : proc_root_(std::move(proc_root)), max_cached_processes_(max_cached_processes) {}

  // Returns one name per address of a user stack of process `pid`, top
  // frame first, as `FUNCTION+0xOFFSET`. An address that no symbol names
  // is in hex, followed by the mapped file in parentheses when it lies in
  // a mapping: `0x7f3a1c03a1c9 (/usr/lib/libc.so.6)`. Addresses after the
  // first are return addresses, looked up 1 byte lower as in
  // KernelSymbols::Name().
  //
  // The maps of each process are read once and read again when an address
  // lies outside them, such as after a dlopen(). When the process has
  // exited, the maps read while it ran still name its addresses, for the
  // last `max_cached_processes` processes read.
  std::vector<std::string> NameFrames(uint32_t pid, const std::vector<uint64_t>& addresses);

 private:
  const MemoryMapping* FindMapping(uint32_t pid, uint64_t address) const;
  void ReadMaps(uint32_t pid);
  const ElfSymbolTable* Table(const std::string& path);
  std::string NameFrame(const MemoryMapping* mapping, uint64_t address,
                        bool is_return_address);

  std::string proc_root_;
  size_t max_cached_processes_;
  // NOTE: a pid that a new process reuses keeps the old process's maps
  // until an address misses them. Files are opened by the paths the maps
  // show, so a process in another mount namespace gets the symbols of the
  // file at that path in the loader's namespace.
  std::map<uint32_t, std::vector<MemoryMapping>> maps_;
  // The pids of maps_, first read first.
  std::deque<uint32_t> read_order_;
  // By path. A file that could not be read has null, so it is read once.
  std::map<std::string, std::unique_ptr<ElfSymbolTable>> tables_;
};

}  // namespace nubpf::runtime
