#include "compiler/probe_target.h"

#include <unistd.h>

#include <string_view>

#include "compiler/glob.h"
#include "compiler/probe_target_internal.h"
#include "compiler/suggest.h"

namespace nubpf::compiler {

std::vector<std::string> SplitTarget(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t at = text.find(':', start);
    parts.push_back(text.substr(start, at - start));
    if (at == std::string::npos) return parts;
    start = at + 1;
  }
}

// The spellings of each family: the design's names, and the short ones
// that bpftrace users type.
struct FamilySpelling {
  std::string_view prefix;
  ProbeFamily family;
};
static constexpr FamilySpelling kSpellings[] = {
    {"tracepoint", ProbeFamily::kTracepoint},
    {"tp", ProbeFamily::kTracepoint},
    {"raw_tracepoint", ProbeFamily::kRawTracepoint},
    {"rawtracepoint", ProbeFamily::kRawTracepoint},
    {"raw_tp", ProbeFamily::kRawTracepoint},
    {"tp_btf", ProbeFamily::kTpBtf},
    {"kprobe", ProbeFamily::kKprobe},
    {"kretprobe", ProbeFamily::kKretprobe},
    {"fentry", ProbeFamily::kFentry},
    {"fexit", ProbeFamily::kFexit},
    {"uprobe", ProbeFamily::kUprobe},
    {"uretprobe", ProbeFamily::kUretprobe},
    {"usdt", ProbeFamily::kUsdt},
    {"profile", ProbeFamily::kProfile},
    {"interval", ProbeFamily::kInterval},
    {"begin", ProbeFamily::kBegin},
    {"end", ProbeFamily::kEnd},
};

std::string DescribeTarget(const ProbeTarget& target) {
  switch (target.family) {
    case ProbeFamily::kTracepoint:
      return "tracepoint `" + target.category + ":" + target.name + "`";
    case ProbeFamily::kRawTracepoint:
      return "raw tracepoint `" + target.name + "`";
    case ProbeFamily::kTpBtf:
      return "tp_btf tracepoint `" + target.name + "`";
    case ProbeFamily::kKprobe:
      return "kprobe `" + target.name + "`";
    case ProbeFamily::kKretprobe:
      return "kretprobe `" + target.name + "`";
    case ProbeFamily::kFentry:
      return "fentry `" + target.name + "`";
    case ProbeFamily::kFexit:
      return "fexit `" + target.name + "`";
    case ProbeFamily::kUprobe:
    case ProbeFamily::kUretprobe:
    case ProbeFamily::kUsdt:
    case ProbeFamily::kProfile:
    case ProbeFamily::kInterval:
      return "`" + target.text + "`";
    case ProbeFamily::kBegin:
      return "`begin`";
    case ProbeFamily::kEnd:
      return "`end`";
  }
  return "`" + target.text + "`";
}

// Expands `pattern` against `names`, calling `resolve` on each match.
// Reports no match, or too many, at `span`.
bool ExpandWildcard(const std::string& pattern, const std::vector<std::string>& names,
                    const std::string& what, frontend::Span span,
                    frontend::DiagnosticSink& diagnostics,
                    const std::function<bool(const std::string&)>& resolve) {
  std::vector<const std::string*> matches;
  for (const std::string& name : names) {
    if (GlobMatch(pattern, name)) matches.push_back(&name);
  }
  if (matches.empty()) {
    diagnostics.Error(span, "no " + what + " matches `" + pattern + "`",
                      "`*` matches any run of characters and `?` any one; "
                      "check the spelling");
    return false;
  }
  if (matches.size() > kMaxWildcardMatches) {
    diagnostics.Error(span,
                      "`" + pattern + "` matches " + std::to_string(matches.size()) +
                          " " + what + "s, more than the " +
                          std::to_string(kMaxWildcardMatches) +
                          " probes one target may expand to",
                      "narrow the pattern, or split it over several probes");
    return false;
  }
  bool ok = true;
  for (const std::string* name : matches) ok = resolve(*name) && ok;
  return ok;
}

// `profile:hz:N` and `interval:s:N`: a perf event whose rate is N in the
// unit given. Rates become a frequency for `hz` and a period otherwise.
static bool ResolveTimer(const std::vector<std::string>& parts, ProbeFamily family,
                         frontend::Span span, frontend::DiagnosticSink& diagnostics,
                         ProbeTarget* out) {
  std::string_view family_name = family == ProbeFamily::kProfile ? "profile" : "interval";
  std::string usage = "write `" + std::string(family_name) +
                      ":UNIT:N` with UNIT `hz`, `s`, `ms` or `us`, such as `" +
                      (family == ProbeFamily::kProfile ? "profile:hz:99`"
                                                       : "interval:s:1`");
  uint64_t rate = 0;
  if (parts.size() != 3 || parts[2].empty() ||
      parts[2].find_first_not_of("0123456789") != std::string::npos || parts[2].size() > 12) {
    diagnostics.Error(span, "malformed " + std::string(family_name) + " target", usage);
    return false;
  }
  rate = std::stoull(parts[2]);
  if (rate == 0) {
    diagnostics.Error(span, "the rate of `" + std::string(family_name) + "` must be at least 1",
                      usage);
    return false;
  }

  const std::string& unit = parts[1];
  uint64_t nanoseconds_per_unit = 0;
  if (unit == "s") nanoseconds_per_unit = 1000000000;
  if (unit == "ms") nanoseconds_per_unit = 1000000;
  if (unit == "us") nanoseconds_per_unit = 1000;
  if (unit == "hz") {
    out->attach.frequency = rate;
  } else if (nanoseconds_per_unit != 0) {
    out->attach.period_ns = rate * nanoseconds_per_unit;
  } else {
    diagnostics.Error(span, "unknown unit `" + unit + "` in `" +
                                std::string(family_name) + ":" + unit + ":...`",
                      usage);
    return false;
  }

  out->family = family;
  out->name = std::string(family_name) + "_" + unit + "_" + parts[2];
  out->section = "perf_event";
  out->attach.kind = family == ProbeFamily::kProfile ? mir::AttachKind::kProfile
                                                     : mir::AttachKind::kInterval;
  return true;
}

// `begin` and `end` run in the loader, not on a kernel event: a raw
// tracepoint program with no target, which the loader runs once with
// BPF_PROG_TEST_RUN.
static bool ResolveLoaderBlock(const std::vector<std::string>& parts, ProbeFamily family,
                               frontend::Span span, frontend::DiagnosticSink& diagnostics,
                               ProbeTarget* out) {
  if (parts.size() != 1) {
    diagnostics.Error(span, "`" + parts[0] + "` takes no target",
                      "write `probe " + parts[0] + " {|| ... }`");
    return false;
  }
  out->family = family;
  out->name = parts[0];
  out->section = "raw_tp";
  out->attach.kind =
      family == ProbeFamily::kBegin ? mir::AttachKind::kBegin : mir::AttachKind::kEnd;
  return true;
}

bool ResolveProbeTargets(const std::string& text, frontend::Span span,
                         TargetEnvironment& environment,
                         frontend::DiagnosticSink& diagnostics,
                         std::vector<ProbeTarget>* out) {
  std::vector<std::string> parts = SplitTarget(text);
  const std::string& kind = parts[0];

  // The original proposal's `kernel:function("f")`, which the parser
  // normalises to `kernel:function:f`.
  if (kind == "kernel" && parts.size() == 3 && parts[1] == "function") {
    return ResolveKernelFunction(parts[2], span, environment, diagnostics, out);
  }

  for (const FamilySpelling& spelling : kSpellings) {
    if (kind != spelling.prefix) continue;
    size_t first = out->size();
    bool ok = true;
    switch (spelling.family) {
      case ProbeFamily::kTracepoint:
        ok = ResolveTracepoints(parts, span, environment, diagnostics, out);
        break;
      case ProbeFamily::kRawTracepoint:
      case ProbeFamily::kTpBtf:
        ok = ResolveBtfTracepoints(parts, spelling.family, span, environment,
                                   diagnostics, out);
        break;
      case ProbeFamily::kKprobe:
      case ProbeFamily::kKretprobe:
      case ProbeFamily::kFentry:
      case ProbeFamily::kFexit:
        ok = ResolveKernelFunctions(parts, spelling.family, span, environment,
                                    diagnostics, out);
        break;
      case ProbeFamily::kUprobe:
      case ProbeFamily::kUretprobe:
        ok = ResolveUprobes(parts, spelling.family, span, environment, diagnostics, out);
        break;
      case ProbeFamily::kUsdt:
        ok = ResolveUsdt(parts, span, environment, diagnostics, out);
        break;
      case ProbeFamily::kProfile:
      case ProbeFamily::kInterval:
        out->emplace_back();
        ok = ResolveTimer(parts, spelling.family, span, diagnostics, &out->back());
        break;
      case ProbeFamily::kBegin:
      case ProbeFamily::kEnd:
        out->emplace_back();
        ok = ResolveLoaderBlock(parts, spelling.family, span, diagnostics, &out->back());
        break;
    }
    if (!ok) {
      out->resize(first);
      return false;
    }
    for (size_t i = first; i < out->size(); ++i) {
      if ((*out)[i].text.empty()) (*out)[i].text = text;
    }
    return true;
  }

  std::vector<std::string> prefixes;
  for (const FamilySpelling& spelling : kSpellings) prefixes.emplace_back(spelling.prefix);
  std::string nearest = NearestName(kind, prefixes);
  diagnostics.Error(span, "unknown probe type `" + kind + "`",
                    nearest.empty()
                        ? "the probe types are tracepoint, raw_tracepoint, tp_btf, "
                          "kprobe, kretprobe, fentry, fexit, uprobe, uretprobe, "
                          "usdt, profile, interval, begin and end"
                        : "did you mean `" + nearest + "`?");
  return false;
}

}  // namespace nubpf::compiler
