// `tracepoint:CATEGORY:NAME`, resolved against tracefs. Either part may
// hold wildcards: `tracepoint:syscalls:sys_enter_*`.
#include "compiler/glob.h"
#include "compiler/probe_target_internal.h"
#include "compiler/suggest.h"

namespace nubpf::compiler {

// Reads one tracepoint's format into a new target.
static bool ResolveOne(const std::string& root, const std::string& category,
                       const std::string& name, frontend::Span span,
                       TargetEnvironment& environment, frontend::DiagnosticSink& diagnostics,
                       std::vector<ProbeTarget>* out) {
  ProbeTarget target;
  target.family = ProbeFamily::kTracepoint;
  target.text = "tracepoint:" + category + ":" + name;
  target.category = category;
  target.name = name;
  target.section = "tracepoint/" + category + "/" + name;
  target.pointers_are_user = category == "syscalls";

  std::string error;
  switch (ReadTracepointFormat(root, category, name, &target.format, &error)) {
    case TracepointLookup::kFound:
      environment.RecordInput(TracepointFormatPath(root, category, name));
      out->push_back(std::move(target));
      return true;
    case TracepointLookup::kUnreadable:
      diagnostics.Error(span, error);
      return false;
    case TracepointLookup::kNotFound:
      break;
  }

  // Suggest the nearest category, or the nearest name in the category.
  std::vector<std::string> names = ListTracepoints(root, category);
  std::string help;
  if (names.empty()) {
    std::string nearest = NearestName(category, ListTracepoints(root, ""));
    help = nearest.empty() ? "the categories are the folders of `" + root + "/events`"
                           : "did you mean the category `" + nearest + "`?";
  } else {
    std::string nearest = NearestName(name, names);
    help = nearest.empty() ? "the tracepoints of `" + category + "` are in `" + root +
                                 "/events/" + category + "`"
                           : "did you mean `tracepoint:" + category + ":" + nearest + "`?";
  }
  diagnostics.Error(span, "tracepoint `" + category + ":" + name + "` not found on this kernel",
                    help);
  return false;
}

bool ResolveTracepoints(const std::vector<std::string>& parts, frontend::Span span,
                        TargetEnvironment& environment,
                        frontend::DiagnosticSink& diagnostics,
                        std::vector<ProbeTarget>* out) {
  if (parts.size() != 3 || parts[1].empty() || parts[2].empty()) {
    diagnostics.Error(span, "malformed tracepoint target",
                      "write `tracepoint:CATEGORY:NAME`, such as "
                      "`tracepoint:syscalls:sys_enter_openat`");
    return false;
  }
  const std::string& root = environment.Tracefs(span, diagnostics);
  if (root.empty()) return false;

  const std::string& category = parts[1];
  const std::string& name = parts[2];
  if (!HasWildcard(category) && !HasWildcard(name)) {
    return ResolveOne(root, category, name, span, environment, diagnostics, out);
  }

  // Lists every CATEGORY:NAME that the pattern's parts match, so that one
  // cap and one "no match" error cover the whole pattern.
  std::vector<std::string> qualified;
  for (const std::string& each_category : ListTracepoints(root, "")) {
    if (!GlobMatch(category, each_category)) continue;
    for (const std::string& each_name : ListTracepoints(root, each_category)) {
      qualified.push_back(each_category + ":" + each_name);
    }
  }
  return ExpandWildcard(
      category + ":" + name, qualified, "tracepoint", span, diagnostics,
      [&](const std::string& match) {
        size_t colon = match.find(':');
        return ResolveOne(root, match.substr(0, colon), match.substr(colon + 1), span,
                          environment, diagnostics, out);
      });
}

}  // namespace nubpf::compiler
