// Probes on user-space programs: `uprobe:PATH:SYMBOL`,
// `uprobe:PATH:SYMBOL+OFFSET`, `uretprobe:PATH:SYMBOL` and
// `usdt:PATH:PROVIDER:NAME`. Their arguments are registers in `struct
// pt_regs`, and the pointers among them point into user memory.
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "compiler/probe_target_internal.h"

namespace nubpf::compiler {

// Splits `SYMBOL+OFFSET`; the offset is decimal or 0x-prefixed hex.
static bool ParseSymbolOffset(const std::string& text, std::string* symbol, uint64_t* offset) {
  size_t plus = text.find('+');
  *symbol = text.substr(0, plus);
  *offset = 0;
  if (plus == std::string::npos) return !symbol->empty();
  std::string digits = text.substr(plus + 1);
  if (digits.empty()) return false;
  char* end = nullptr;
  errno = 0;
  *offset = std::strtoull(digits.c_str(), &end, 0);
  return !symbol->empty() && errno == 0 && *end == '\0';
}

bool ResolveUprobes(const std::vector<std::string>& parts, ProbeFamily family,
                    frontend::Span span, frontend::DiagnosticSink& diagnostics,
                    std::vector<ProbeTarget>* out) {
  std::string prefix = family == ProbeFamily::kUprobe ? "uprobe" : "uretprobe";
  ProbeTarget target;
  if (parts.size() != 3 || parts[1].empty() ||
      !ParseSymbolOffset(parts[2], &target.attach.symbol, &target.attach.offset)) {
    diagnostics.Error(span, "malformed " + prefix + " target",
                      "write `" + prefix + ":PATH:SYMBOL` or `" + prefix +
                          ":PATH:SYMBOL+OFFSET`, such as `" + prefix +
                          ":/bin/bash:readline`");
    return false;
  }
  const std::string& path = parts[1];
  if (access(path.c_str(), R_OK) != 0) {
    int code = errno;
    diagnostics.Error(span, "cannot read `" + path + "`: " + std::strerror(code),
                      "give the path of the program or library to trace, such as "
                      "`/bin/bash` or `/lib/x86_64-linux-gnu/libc.so.6`");
    return false;
  }

  // TODO: check the symbol against the file's symbol tables and expand
  // wildcards in it; until then the loader reports a missing symbol.
  target.family = family;
  target.name = target.attach.symbol;
  target.text = prefix + ":" + path + ":" + parts[2];
  target.section = prefix + "/" + path + ":" + parts[2];
  target.pointers_are_user = true;
  target.attach.kind =
      family == ProbeFamily::kUprobe ? mir::AttachKind::kUprobe : mir::AttachKind::kUretprobe;
  target.attach.path = path;
  if (family == ProbeFamily::kUprobe) {
    for (size_t i = 0; i < std::size(kArgumentRegisterOffsets); ++i) {
      target.arguments.push_back({"arg" + std::to_string(i), kArgumentRegisterOffsets[i], 0});
    }
  } else {
    target.retval = ProbeArgument{"retval", kReturnRegisterOffset, 0};
  }
  out->push_back(std::move(target));
  return true;
}

bool ResolveUsdt(const std::vector<std::string>& parts, frontend::Span span,
                 frontend::DiagnosticSink& diagnostics, std::vector<ProbeTarget>* out) {
  // TODO: read the probe from the file's `.note.stapsdt` notes and attach
  // a uprobe at its address; the ELF note reader is not in yet.
  diagnostics.Error(span, "`usdt` probes are not supported yet",
                    "use a `uprobe:PATH:SYMBOL` probe on a function near the USDT probe");
  return false;
}

}  // namespace nubpf::compiler
