#include "compiler/probe_target.h"

#include <string_view>
#include <vector>

#include "compiler/suggest.h"

namespace nubpf::compiler {

static std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t at = text.find(separator, start);
    parts.push_back(text.substr(start, at - start));
    if (at == std::string::npos) return parts;
    start = at + 1;
  }
}

// Probe families of the design that this compiler does not build yet.
static bool IsPlannedFamily(std::string_view kind) {
  for (std::string_view planned :
       {"raw_tracepoint", "tp_btf", "kprobe", "kretprobe", "fentry", "fexit",
        "uprobe", "uretprobe", "usdt", "profile", "interval", "begin", "end"}) {
    if (kind == planned) return true;
  }
  return false;
}

static bool ResolveTracepoint(const std::vector<std::string>& parts,
                              frontend::Span span, TargetEnvironment& environment,
                              frontend::DiagnosticSink& diagnostics,
                              ProbeTarget* out) {
  if (parts.size() != 3 || parts[1].empty() || parts[2].empty()) {
    diagnostics.Error(span, "malformed tracepoint target",
                      "write `tracepoint:CATEGORY:NAME`, such as "
                      "`tracepoint:syscalls:sys_enter_openat`");
    return false;
  }
  const std::string& tracefs_root = environment.Tracefs(span, diagnostics);
  if (tracefs_root.empty()) return false;

  out->category = parts[1];
  out->name = parts[2];
  out->pointers_are_user = parts[1] == "syscalls";
  std::string error;
  switch (ReadTracepointFormat(tracefs_root, parts[1], parts[2], &out->format,
                               &error)) {
    case TracepointLookup::kFound:
      return true;
    case TracepointLookup::kUnreadable:
      diagnostics.Error(span, error);
      return false;
    case TracepointLookup::kNotFound:
      break;
  }

  // Suggest the nearest category, or the nearest name in the category.
  std::vector<std::string> names = ListTracepoints(tracefs_root, parts[1]);
  std::string help;
  if (names.empty()) {
    std::string category = NearestName(parts[1], ListTracepoints(tracefs_root, ""));
    help = category.empty()
               ? "the categories are the folders of `" + tracefs_root + "/events`"
               : "did you mean the category `" + category + "`?";
  } else {
    std::string name = NearestName(parts[2], names);
    help = name.empty() ? "the tracepoints of `" + parts[1] + "` are in `" +
                              tracefs_root + "/events/" + parts[1] + "`"
                        : "did you mean `tracepoint:" + parts[1] + ":" + name + "`?";
  }
  diagnostics.Error(span,
                    "tracepoint `" + parts[1] + ":" + parts[2] +
                        "` not found on this kernel",
                    help);
  return false;
}

bool ResolveProbeTarget(const std::string& text, frontend::Span span,
                        TargetEnvironment& environment,
                        frontend::DiagnosticSink& diagnostics,
                        ProbeTarget* out) {
  std::vector<std::string> parts = Split(text, ':');
  const std::string& kind = parts[0];
  if (kind == "tracepoint" || kind == "tp") {
    return ResolveTracepoint(parts, span, environment, diagnostics, out);
  }
  // The original proposal's `kernel:function("f")` names the kprobe on f.
  if (kind == "kernel" && parts.size() == 3 && parts[1] == "function") {
    diagnostics.Error(span,
                      "`kernel:function(\"" + parts[2] + "\")` is the kprobe `kprobe:" +
                          parts[2] + "`, and `kprobe` probes are not supported yet",
                      "use a `tracepoint:CATEGORY:NAME` probe");
    return false;
  }
  if (IsPlannedFamily(kind)) {
    diagnostics.Error(span, "`" + kind + "` probes are not supported yet",
                      "use a `tracepoint:CATEGORY:NAME` probe");
    return false;
  }
  diagnostics.Error(span, "unknown probe type `" + kind + "`",
                    "write `tracepoint:CATEGORY:NAME`, such as "
                    "`tracepoint:syscalls:sys_enter_openat`");
  return false;
}

}  // namespace nubpf::compiler
