// USDT probes of an executable or shared library, for the target
// `usdt:/path:provider:name`. sdt.h's STAP_PROBE macros place a `nop` where
// a probe fires and describe it in a note of the non-allocated section
// `.note.stapsdt`, whose type is 3 (NT_STAPSDT), whose owner is "stapsdt",
// and whose descriptor is
//
//   pc         8 bytes: the link-time address of the nop
//   base       8 bytes: the link-time address of the `.stapsdt.base` section
//   semaphore  8 bytes: the address of the probe's enable counter, or 0
//   provider\0 name\0 arguments\0
//
// Example, from libstdc++.so.6 in Debian 12: provider `libstdcxx`, name
// `throw`, pc 0xa90a1, base 0x1c5973, semaphore 0, arguments
// `8@%rdi 8@%rsi`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/usdt_arguments.h"

namespace nubpf::compiler {

// One site of a USDT probe. A probe written at several places in the
// source, or in an inlined function, has one site per copy of its `nop`,
// and each site may keep its arguments in different registers.
struct UsdtProbe {
  std::string provider;
  std::string name;
  uint64_t pc = 0;         // the nop's address, adjusted for prelink (see ReadUsdtProbes)
  uint64_t base = 0;       // the note's `.stapsdt.base` address
  uint64_t semaphore = 0;  // the semaphore's address; 0 when the probe has none
  uint64_t file_offset = 0;  // where the nop lies in the file: the uprobe's offset
  // Where the semaphore lies in the file: the uprobe's reference counter
  // offset (ref_ctr_offset). The kernel increments the semaphore while a
  // uprobe is attached, and the traced program skips the probe's argument
  // set-up while it is 0. 0 when the probe has no semaphore.
  uint64_t semaphore_file_offset = 0;
  std::string arguments_text;  // as the note writes it, such as `-4@%edi 8@%rsi`
  std::vector<UsdtArgument> arguments;
};

struct UsdtProbeTable {
  std::string path;
  std::vector<UsdtProbe> probes;  // sorted by provider, name, then pc
};

// Reads the USDT probes of `path`, an ELF64 little-endian executable or
// shared library; a file without `.note.stapsdt` has none. The pc of each
// note moves by the actual address of `.stapsdt.base` minus the note's
// base, which undoes prelink: it moves code but leaves the non-allocated
// notes alone. Returns false with `error` set when the file cannot be read,
// a note is malformed, a pc or semaphore lies outside the file's loadable
// segments, or the file is not for x86-64, whose argument syntax is the
// only one parsed.
bool ReadUsdtProbes(const std::string& path, UsdtProbeTable* out, std::string* error);

// Returns in `sites` every site of the probe `provider:name`, in the
// table's order. Returns false with `error` set when there is none.
bool FindUsdtProbe(const UsdtProbeTable& table, std::string_view provider,
                   std::string_view name, std::vector<UsdtProbe>* sites,
                   std::string* error);

// Returns in `sites` every site whose provider and name match the globs
// `provider_pattern` and `name_pattern` (see compiler/glob.h), in the
// table's order. Returns false with `error` set when none match, or when
// more than `max_sites` do.
bool MatchUsdtProbes(const UsdtProbeTable& table, std::string_view provider_pattern,
                     std::string_view name_pattern, size_t max_sites,
                     std::vector<UsdtProbe>* sites, std::string* error);

}  // namespace nubpf::compiler
