// The probe family of a BPF program, read from the prefix of its libbpf
// section name, for the loader's messages: a kprobe that cannot attach and
// an fentry program that cannot load each have their own likely cause.
#pragma once

#include <string_view>

namespace nubpf::runtime {

enum class SectionFamily {
  kTracepoint,     // tracepoint/CATEGORY/NAME
  kRawTracepoint,  // raw_tp/NAME, and raw_tp alone for begin and end
  kTpBtf,          // tp_btf/NAME
  kKprobe,         // kprobe/FUNCTION
  kKretprobe,      // kretprobe/FUNCTION
  kFentry,         // fentry/FUNCTION
  kFexit,          // fexit/FUNCTION
  kUprobe,         // uprobe/PATH:SYMBOL, and uprobe alone for USDT probes
  kUretprobe,      // uretprobe/PATH:SYMBOL
  kPerfEvent,      // perf_event
  kOther,          // any section nubpfc does not write
};

SectionFamily ParseSectionFamily(std::string_view section);

// The family as messages name it: `tracepoint`, `kprobe`, `fentry`, ...
const char* SectionFamilyName(SectionFamily family);

// Returns what follows the family's prefix and its slash: `vfs_read` for
// `kprobe/vfs_read`; empty for a section without a slash.
std::string_view SectionTarget(std::string_view section);

}  // namespace nubpf::runtime
