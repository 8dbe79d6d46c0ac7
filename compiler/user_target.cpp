// Probes on user-space programs: `uprobe:PATH:SYMBOL`,
// `uprobe:PATH:SYMBOL+OFFSET`, `uretprobe:PATH:SYMBOL` and
// `usdt:PATH:PROVIDER:NAME`, checked against the file's symbol tables and
// USDT notes. Their arguments are registers in `struct pt_regs`, and the
// pointers among them point into user memory.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "compiler/elf_symbols.h"
#include "compiler/glob.h"
#include "compiler/probe_target_internal.h"
#include "compiler/suggest.h"
#include "compiler/usdt_notes.h"

namespace nubpf::compiler {

// Returns `path` made absolute, because the loader may run in another
// folder, or reports at `span` when it cannot be read.
static std::optional<std::string> ReadablePath(const std::string& path, frontend::Span span,
                                               frontend::DiagnosticSink& diagnostics) {
  if (access(path.c_str(), R_OK) == 0) return std::filesystem::absolute(path).string();
  int code = errno;
  diagnostics.Error(span, "cannot read `" + path + "`: " + std::strerror(code),
                    "give the path of the program or library to trace, such as "
                    "`/bin/bash` or `/lib/x86_64-linux-gnu/libc.so.6`");
  return std::nullopt;
}

static ProbeTarget UprobeTarget(ProbeFamily family, const std::string& path,
                                const std::string& symbol, uint64_t offset) {
  bool is_entry = family == ProbeFamily::kUprobe;
  std::string prefix = is_entry ? "uprobe" : "uretprobe";
  std::string location = symbol + (offset == 0 ? "" : "+" + std::to_string(offset));

  ProbeTarget target;
  target.family = family;
  target.name = symbol;
  target.text = prefix + ":" + path + ":" + location;
  // libbpf's own spelling, so that other loaders attach it too.
  target.section = prefix + "/" + path + ":" + location;
  target.pointers_are_user = true;
  target.attach.kind = is_entry ? mir::AttachKind::kUprobe : mir::AttachKind::kUretprobe;
  target.attach.path = path;
  target.attach.symbol = symbol;
  target.attach.offset = offset;
  if (is_entry) {
    for (size_t i = 0; i < std::size(kArgumentRegisterOffsets); ++i) {
      target.arguments.push_back({"arg" + std::to_string(i), kArgumentRegisterOffsets[i]});
    }
  } else {
    target.retval = ProbeArgument{"retval", kReturnRegisterOffset};
  }
  return target;
}

bool ResolveUprobes(const std::vector<std::string>& parts, ProbeFamily family,
                    frontend::Span span, TargetEnvironment& environment,
                    frontend::DiagnosticSink& diagnostics, std::vector<ProbeTarget>* out) {
  std::string prefix = family == ProbeFamily::kUprobe ? "uprobe" : "uretprobe";
  if (parts.size() != 3 || parts[1].empty() || parts[2].empty()) {
    diagnostics.Error(span, "malformed " + prefix + " target",
                      "write `" + prefix + ":PATH:SYMBOL` or `" + prefix +
                          ":PATH:SYMBOL+OFFSET`, such as `" + prefix +
                          ":/bin/bash:readline`");
    return false;
  }
  // A return probe must sit on the function's first instruction: the
  // kernel replaces the return address it finds on the stack there.
  if (family == ProbeFamily::kUretprobe && parts[2].find('+') != std::string::npos) {
    diagnostics.Error(span, "a uretprobe cannot take an offset",
                      "write `uretprobe:PATH:SYMBOL`, or `uprobe:PATH:SYMBOL+OFFSET` "
                      "to probe an instruction inside the function");
    return false;
  }
  std::optional<std::string> path = ReadablePath(parts[1], span, diagnostics);
  if (!path) return false;
  FunctionSymbolTable symbols;
  std::string error;
  if (!ReadFunctionSymbols(*path, &symbols, &error)) {
    diagnostics.Error(span, error);
    return false;
  }
  environment.RecordInput(parts[1]);
  std::vector<std::string> names;
  for (const FunctionSymbol& function : symbols.functions) names.push_back(function.name);
  std::string symbol = parts[2].substr(0, parts[2].find('+'));
  std::string nearest = NearestName(symbol, names);
  if (nearest == symbol) nearest.clear();
  std::string symbols_help =
      !nearest.empty() ? "did you mean `" + nearest + "`?"
                       : "`nm " + std::string(symbols.has_symtab ? "" : "-D ") + *path +
                             "` lists the functions a uprobe can find";

  if (HasWildcard(parts[2])) {
    std::vector<FunctionSymbol> matches;
    if (!MatchFunctionSymbols(symbols, parts[2], kMaxWildcardMatches, &matches, &error)) {
      diagnostics.Error(span, error, symbols_help);
      return false;
    }
    for (const FunctionSymbol& match : matches) {
      out->push_back(UprobeTarget(family, *path, match.name, 0));
    }
    return true;
  }

  UprobeAddress address;
  if (!ResolveUprobeAddress(symbols, parts[2], &address, &error)) {
    diagnostics.Error(span, error, symbols_help);
    return false;
  }
  out->push_back(UprobeTarget(family, *path, address.function, address.offset));
  return true;
}

// The arguments of one USDT site, as the note describes them.
static void AddUsdtArguments(const UsdtProbe& site, ProbeTarget* target) {
  for (size_t i = 0; i < site.arguments.size(); ++i) {
    const UsdtArgument& argument = site.arguments[i];
    ProbeArgument out;
    out.name = "arg" + std::to_string(i);
    out.load_type = mir::Type::Int(static_cast<uint8_t>(argument.size * 8), argument.is_signed);
    switch (argument.kind) {
      case UsdtArgumentKind::kRegister:
        out.context_offset = argument.pt_regs_offset;
        break;
      case UsdtArgumentKind::kConstant:
        out.constant = argument.constant;
        break;
      case UsdtArgumentKind::kMemory:
        out.context_offset = argument.pt_regs_offset;
        out.user_memory_displacement = argument.displacement;
        break;
      case UsdtArgumentKind::kUnsupported:
        out.unsupported = argument.error;
        break;
    }
    target->arguments.push_back(std::move(out));
  }
}

bool ResolveUsdt(const std::vector<std::string>& parts, frontend::Span span,
                 TargetEnvironment& environment, frontend::DiagnosticSink& diagnostics,
                 std::vector<ProbeTarget>* out) {
  if (parts.size() != 4 || parts[1].empty() || parts[2].empty() || parts[3].empty()) {
    diagnostics.Error(span, "malformed usdt target",
                      "write `usdt:PATH:PROVIDER:NAME`, such as "
                      "`usdt:/lib/x86_64-linux-gnu/libstdc++.so.6:libstdcxx:throw`");
    return false;
  }
  std::optional<std::string> found = ReadablePath(parts[1], span, diagnostics);
  if (!found) return false;
  const std::string& path = *found;
  UsdtProbeTable table;
  std::string error;
  std::vector<UsdtProbe> sites;
  if (!ReadUsdtProbes(path, &table, &error) ||
      !MatchUsdtProbes(table, parts[2], parts[3], kMaxWildcardMatches, &sites, &error)) {
    diagnostics.Error(span, error,
                      "`readelf -n " + path + "` lists its USDT probes under `stapsdt`");
    return false;
  }
  environment.RecordInput(parts[1]);

  // A probe may sit at several places in the file, each with its own
  // registers: one uprobe program per site, at its file offset.
  for (const UsdtProbe& site : sites) {
    ProbeTarget target;
    target.family = ProbeFamily::kUsdt;
    target.name = site.provider + "_" + site.name;
    target.text = "usdt:" + path + ":" + site.provider + ":" + site.name;
    target.section = "uprobe";
    target.pointers_are_user = true;
    target.attach.kind = mir::AttachKind::kUprobe;
    target.attach.path = path;
    target.attach.offset = site.file_offset;
    target.attach.semaphore = site.semaphore_file_offset;
    AddUsdtArguments(site, &target);
    out->push_back(std::move(target));
  }
  return true;
}

}  // namespace nubpf::compiler
