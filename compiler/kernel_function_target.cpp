// Probes whose arguments the kernel's BTF describes: `raw_tracepoint:NAME`
// and `tp_btf:NAME` on BTF tracepoints, and `kprobe`, `kretprobe`,
// `fentry` and `fexit` on kernel functions.
//
// raw_tracepoint, tp_btf, fentry and fexit programs get the arguments as
// an array of u64, one slot each. fexit gets the return value in the slot
// after the last argument. kprobes get the registers in `struct pt_regs`.
#include <fstream>
#include <functional>
#include <unordered_set>

#include "compiler/glob.h"
#include "compiler/probe_target_internal.h"
#include "compiler/suggest.h"

namespace nubpf::compiler {

static constexpr uint32_t kSlotSize = 8;

// Adds each parameter under its BTF name (when it has one and `named`)
// and as `argN`, read from `offset(N)`. Parameters past `max_count` are
// left out.
template <typename Offset>
static void AddArguments(const BtfPrototype& prototype, bool named, size_t max_count,
                         Offset offset, ProbeTarget* out) {
  for (size_t i = 0; i < prototype.parameters.size() && i < max_count; ++i) {
    const BtfParameter& parameter = prototype.parameters[i];
    uint32_t type_id = named ? parameter.type_id : 0;
    if (named && !parameter.name.empty()) {
      out->arguments.push_back({parameter.name, offset(i), type_id});
    }
    out->arguments.push_back({"arg" + std::to_string(i), offset(i), type_id});
  }
}

static uint32_t SlotOffset(size_t index) { return static_cast<uint32_t>(index) * kSlotSize; }

// TODO: arguments after the sixth are passed on the stack, so a kprobe
// would need a read relative to `sp`. Only the register ones are offered.
static uint32_t RegisterOffset(size_t index) { return kArgumentRegisterOffsets[index]; }
static constexpr size_t kRegisterArgumentCount = std::size(kArgumentRegisterOffsets);

// Reports that `name` is unknown, suggesting the nearest of `names` as the
// target `spell` writes for it.
static void ReportUnknown(const std::string& message, const std::string& name,
                          const std::vector<std::string>& names,
                          const std::function<std::string(const std::string&)>& spell,
                          const std::string& fallback_help, frontend::Span span,
                          frontend::DiagnosticSink& diagnostics) {
  std::string nearest = NearestName(name, names);
  diagnostics.Error(span, message,
                    nearest.empty() ? fallback_help
                                    : "did you mean `" + spell(nearest) + "`?");
}

static bool ResolveBtfTracepoint(const KernelBtf& btf, const std::string& name,
                                 ProbeFamily family, frontend::Span span,
                                 frontend::DiagnosticSink& diagnostics,
                                 std::vector<ProbeTarget>* out) {
  bool is_raw = family == ProbeFamily::kRawTracepoint;
  std::string prefix = is_raw ? "raw_tracepoint:" : "tp_btf:";
  std::optional<BtfPrototype> prototype = btf.FindTracepoint(name);
  if (!prototype) {
    ReportUnknown("tracepoint `" + name + "` is not in the kernel's BTF (" + btf.path() + ")",
                  name, btf.TracepointNames(),
                  [&](const std::string& nearest) { return prefix + nearest; },
                  "these tracepoints are the `btf_trace_NAME` typedefs of "
                  "`bpftool btf dump file " + btf.path() + "`",
                  span, diagnostics);
    return false;
  }
  ProbeTarget target;
  target.family = family;
  target.text = prefix + name;
  target.name = name;
  target.section = (is_raw ? "raw_tp/" : "tp_btf/") + name;
  // Raw tracepoints see each argument as a plain u64, by position.
  AddArguments(*prototype, /*named=*/!is_raw, prototype->parameters.size(), SlotOffset,
               &target);
  out->push_back(std::move(target));
  return true;
}

bool ResolveBtfTracepoints(const std::vector<std::string>& parts, ProbeFamily family,
                           frontend::Span span, TargetEnvironment& environment,
                           frontend::DiagnosticSink& diagnostics,
                           std::vector<ProbeTarget>* out) {
  std::string family_name = family == ProbeFamily::kRawTracepoint ? "raw_tracepoint" : "tp_btf";
  if (parts.size() != 2 || parts[1].empty()) {
    diagnostics.Error(span, "malformed " + family_name + " target",
                      "write `" + family_name + ":NAME` with the tracepoint's name "
                      "and no category, such as `" + family_name + ":sched_switch`");
    return false;
  }
  const KernelBtf* btf = environment.Btf(span, diagnostics);
  if (btf == nullptr) return false;
  if (!HasWildcard(parts[1])) {
    return ResolveBtfTracepoint(*btf, parts[1], family, span, diagnostics, out);
  }
  return ExpandWildcard(parts[1], btf->TracepointNames(), "tracepoint", span, diagnostics,
                        [&](const std::string& name) {
                          return ResolveBtfTracepoint(*btf, name, family, span,
                                                      diagnostics, out);
                        });
}

// True when /proc/kallsyms lists `name` as a function of the running
// kernel: a kprobe can attach to it even when BTF does not describe it.
// NOTE: `-MD` leaves /proc/kallsyms out of the dependency file, because it
// decides only whether such a kprobe compiles, not what the object holds.
// Returns the names of the text symbols in /proc/kallsyms, read on the
// first call and kept, because the file has a few hundred thousand lines
// and a file may name many kprobe targets. Each line is `ADDRESS TYPE NAME`,
// then a tab and the module for symbols of modules.
// NOTE: a process that compiles many files keeps the first list, so it
// misses functions of kernel modules loaded after that.
static const std::unordered_set<std::string>& KallsymsFunctions() {
  static const std::unordered_set<std::string> functions = [] {
    std::unordered_set<std::string> names;
    std::ifstream in("/proc/kallsyms");
    std::string line;
    while (std::getline(in, line)) {
      size_t type_at = line.find(' ');
      if (type_at == std::string::npos || type_at + 3 > line.size()) continue;
      char type = line[type_at + 1];
      if (type != 't' && type != 'T') continue;
      size_t symbol_at = type_at + 3;
      size_t symbol_end = line.find_first_of(" \t", symbol_at);
      if (symbol_end == std::string::npos) symbol_end = line.size();
      names.insert(line.substr(symbol_at, symbol_end - symbol_at));
    }
    return names;
  }();
  return functions;
}

static bool InKallsyms(const std::string& name) { return KallsymsFunctions().count(name) > 0; }

static std::string FamilyPrefix(ProbeFamily family) {
  switch (family) {
    case ProbeFamily::kKprobe:
      return "kprobe";
    case ProbeFamily::kKretprobe:
      return "kretprobe";
    case ProbeFamily::kFentry:
      return "fentry";
    case ProbeFamily::kFexit:
      return "fexit";
    case ProbeFamily::kTracepoint:
    case ProbeFamily::kRawTracepoint:
    case ProbeFamily::kTpBtf:
    case ProbeFamily::kUprobe:
    case ProbeFamily::kUretprobe:
    case ProbeFamily::kUsdt:
    case ProbeFamily::kProfile:
    case ProbeFamily::kInterval:
    case ProbeFamily::kBegin:
    case ProbeFamily::kEnd:
      break;
  }
  return "";
}

// Resolves one kernel function. `spelling` is how the source wrote the
// target, with NAME in place of the function, for suggestions.
static bool ResolveFunction(const KernelBtf& btf, bool host_btf, const std::string& name,
                            ProbeFamily family, const std::string& spelling,
                            frontend::Span span,
                            frontend::DiagnosticSink& diagnostics,
                            std::vector<ProbeTarget>* out) {
  std::string prefix = FamilyPrefix(family);
  bool is_kprobe = family == ProbeFamily::kKprobe || family == ProbeFamily::kKretprobe;
  std::optional<BtfPrototype> prototype = btf.FindFunction(name);

  // A kprobe attaches to any function symbol; fentry needs BTF.
  if (!prototype && !(is_kprobe && host_btf && InKallsyms(name))) {
    ReportUnknown("kernel function `" + name + "` is not in the kernel's BTF (" +
                      btf.path() + ")" + (is_kprobe && host_btf ? " nor in /proc/kallsyms" : ""),
                  name, btf.FunctionNames(),
                  [&](const std::string& nearest) {
                    std::string text = spelling;
                    return text.replace(text.find("NAME"), 4, nearest);
                  },
                  "the functions are the FUNC entries of `bpftool btf dump file " +
                      btf.path() + "`",
                  span, diagnostics);
    return false;
  }

  ProbeTarget target;
  target.family = family;
  target.text = prefix + ":" + name;
  target.name = name;
  target.section = prefix + "/" + name;
  if (!prototype) {
    // Without a prototype, the six argument registers by position.
    prototype.emplace();
    prototype->parameters.resize(kRegisterArgumentCount);
  }
  bool has_return = prototype->return_type_id != 0;
  switch (family) {
    case ProbeFamily::kKprobe:
      AddArguments(*prototype, true, kRegisterArgumentCount, RegisterOffset, &target);
      break;
    case ProbeFamily::kKretprobe:
      // The argument registers are overwritten by the time the function
      // returns, so a kretprobe reads only the return value.
      target.retval = ProbeArgument{"retval", kReturnRegisterOffset, prototype->return_type_id};
      break;
    case ProbeFamily::kFentry:
      AddArguments(*prototype, true, prototype->parameters.size(), SlotOffset, &target);
      break;
    case ProbeFamily::kFexit:
      AddArguments(*prototype, true, prototype->parameters.size(), SlotOffset, &target);
      if (has_return) {
        target.retval = ProbeArgument{
            "retval", SlotOffset(prototype->parameters.size()), prototype->return_type_id};
      }
      break;
    case ProbeFamily::kTracepoint:
    case ProbeFamily::kRawTracepoint:
    case ProbeFamily::kTpBtf:
    case ProbeFamily::kUprobe:
    case ProbeFamily::kUretprobe:
    case ProbeFamily::kUsdt:
    case ProbeFamily::kProfile:
    case ProbeFamily::kInterval:
    case ProbeFamily::kBegin:
    case ProbeFamily::kEnd:
      break;
  }
  out->push_back(std::move(target));
  return true;
}

bool ResolveKernelFunctions(const std::vector<std::string>& parts, ProbeFamily family,
                            frontend::Span span, TargetEnvironment& environment,
                            frontend::DiagnosticSink& diagnostics,
                            std::vector<ProbeTarget>* out) {
  std::string prefix = FamilyPrefix(family);
  if (parts.size() != 2 || parts[1].empty()) {
    diagnostics.Error(span, "malformed " + prefix + " target",
                      "write `" + prefix + ":FUNCTION`, such as `" + prefix + ":vfs_read`");
    return false;
  }
  const KernelBtf* btf = environment.Btf(span, diagnostics);
  if (btf == nullptr) return false;
  bool host_btf = environment.UsesHostBtf();
  if (!HasWildcard(parts[1])) {
    return ResolveFunction(*btf, host_btf, parts[1], family, prefix + ":NAME", span,
                           diagnostics, out);
  }
  return ExpandWildcard(parts[1], btf->FunctionNames(), "kernel function", span,
                        diagnostics, [&](const std::string& name) {
                          return ResolveFunction(*btf, host_btf, name, family,
                                                 prefix + ":NAME", span, diagnostics, out);
                        });
}

bool ResolveKernelFunction(const std::string& name, frontend::Span span,
                           TargetEnvironment& environment,
                           frontend::DiagnosticSink& diagnostics,
                           std::vector<ProbeTarget>* out) {
  const KernelBtf* btf = environment.Btf(span, diagnostics);
  if (btf == nullptr) return false;
  bool host_btf = environment.UsesHostBtf();

  // fentry where BTF describes the function, with a kprobe that replaces
  // it where the kernel rejects fentry. Otherwise a kprobe alone.
  const std::string spelling = "kernel:function(\"NAME\")";
  if (btf->FindFunction(name)) {
    if (!ResolveFunction(*btf, host_btf, name, ProbeFamily::kFentry, spelling, span,
                         diagnostics, out) ||
        !ResolveFunction(*btf, host_btf, name, ProbeFamily::kKprobe, spelling, span,
                         diagnostics, out)) {
      return false;
    }
    out->back().is_fallback = true;
    return true;
  }
  return ResolveFunction(*btf, host_btf, name, ProbeFamily::kKprobe, spelling, span,
                         diagnostics, out);
}

}  // namespace nubpf::compiler
