#include "runtime/section_family.h"

namespace nubpf::runtime {
namespace {

struct SectionPrefix {
  std::string_view prefix;
  SectionFamily family;
};

// Each prefix with its slash, except those nubpfc writes without a target.
constexpr SectionPrefix kSectionPrefixes[] = {
    {"tracepoint/", SectionFamily::kTracepoint},
    {"raw_tp/", SectionFamily::kRawTracepoint},
    {"raw_tp", SectionFamily::kRawTracepoint},
    {"tp_btf/", SectionFamily::kTpBtf},
    {"kprobe/", SectionFamily::kKprobe},
    {"kretprobe/", SectionFamily::kKretprobe},
    {"fentry/", SectionFamily::kFentry},
    {"fexit/", SectionFamily::kFexit},
    {"uprobe/", SectionFamily::kUprobe},
    {"uprobe", SectionFamily::kUprobe},
    {"uretprobe/", SectionFamily::kUretprobe},
    {"perf_event", SectionFamily::kPerfEvent},
};

}  // namespace

SectionFamily ParseSectionFamily(std::string_view section) {
  for (const SectionPrefix& entry : kSectionPrefixes) {
    bool exact_or_slash =
        entry.prefix.back() == '/' || section.size() == entry.prefix.size();
    if (section.substr(0, entry.prefix.size()) == entry.prefix &&
        exact_or_slash) {
      return entry.family;
    }
  }
  return SectionFamily::kOther;
}

const char* SectionFamilyName(SectionFamily family) {
  switch (family) {
    case SectionFamily::kTracepoint:
      return "tracepoint";
    case SectionFamily::kRawTracepoint:
      return "raw tracepoint";
    case SectionFamily::kTpBtf:
      return "tp_btf";
    case SectionFamily::kKprobe:
      return "kprobe";
    case SectionFamily::kKretprobe:
      return "kretprobe";
    case SectionFamily::kFentry:
      return "fentry";
    case SectionFamily::kFexit:
      return "fexit";
    case SectionFamily::kUprobe:
      return "uprobe";
    case SectionFamily::kUretprobe:
      return "uretprobe";
    case SectionFamily::kPerfEvent:
      return "perf event";
    case SectionFamily::kOther:
      return "BPF";
  }
  return "BPF";
}

std::string_view SectionTarget(std::string_view section) {
  size_t slash = section.find('/');
  if (slash == std::string_view::npos) {
    return {};
  }
  return section.substr(slash + 1);
}

}  // namespace nubpf::runtime
