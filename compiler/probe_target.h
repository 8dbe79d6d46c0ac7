// Probe targets: the text after `probe`, such as
// `tracepoint:syscalls:sys_enter_openat`, `fentry:vfs_read` or
// `uprobe:/bin/bash:readline`. Each is resolved against the build host
// (tracefs, kernel BTF, ELF files). The result gives the section, how the
// loader attaches, and the record's fields beyond the common ones.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/mir.h"
#include "compiler/target_environment.h"
#include "compiler/tracepoint_format.h"
#include "frontend/diagnostics.h"

namespace nubpf::compiler {

enum class ProbeFamily {
  kTracepoint,
  kRawTracepoint,
  kTpBtf,
  kKprobe,
  kKretprobe,
  kFentry,
  kFexit,
  kUprobe,
  kUretprobe,
  kUsdt,
  kProfile,
  kInterval,
  kBegin,
  kEnd,
};

// A value the probe reads from its context: a function argument, or the
// return value. Each is a u64 slot at `context_offset`: an entry of the
// arguments array that raw_tracepoint, tp_btf, fentry and fexit programs
// get, or a register in the `struct pt_regs` of a kprobe or uprobe.
struct ProbeArgument {
  std::string name;
  uint32_t context_offset = 0;
  // The argument's type in the kernel's BTF; 0 when the kernel does not
  // describe it, and the value is `load_type`.
  uint32_t btf_type_id = 0;
  // The integer loaded at `context_offset`: the whole u64 slot or register,
  // or the part of a register that a USDT argument names.
  mir::Type load_type = mir::Type::Int(64, false);
  // A USDT argument that the note gives as a constant reads nothing.
  std::optional<int64_t> constant{};
  // A USDT argument in user memory: `load_type` read at the u64 register
  // at `context_offset` plus this displacement.
  std::optional<int64_t> user_memory_displacement{};
  // The reason the argument cannot be read, reported where the probe reads it.
  std::string unsupported{};
};

struct ProbeTarget {
  ProbeFamily family = ProbeFamily::kTracepoint;
  // The target with any wildcard expanded, as the metadata names it.
  std::string text;
  // The base of the program's name: the tracepoint or function name.
  std::string name;
  std::string section;
  mir::Attach attach;

  // kTracepoint: the category and the fields of the format file.
  std::string category;
  TracepointFormat format;
  // Char pointers of the record point into user memory: tracepoints in the
  // `syscalls` category, and every probe on a user-space program.
  bool pointers_are_user = false;

  std::vector<ProbeArgument> arguments;
  std::optional<ProbeArgument> retval;

  // A kprobe that replaces the fentry program of the previous target when
  // the kernel rejects that one (`kernel:function("f")`).
  bool is_fallback = false;
};

// The maximum number of probes one wildcard target may expand to. Each match is a
// program that the kernel verifies and attaches separately, so more is an
// error.
inline constexpr size_t kMaxWildcardMatches = 1024;

// Resolves `text`, written at `span`, into one target, or into one per
// match when it contains a wildcard (`*` or `?`). Returns false after
// reporting an error.
bool ResolveProbeTargets(const std::string& text, frontend::Span span,
                         TargetEnvironment& environment,
                         frontend::DiagnosticSink& diagnostics,
                         std::vector<ProbeTarget>* out);

// A short description of `target` for messages: `tracepoint
// `syscalls:sys_enter_openat``, `fentry `vfs_read``.
std::string DescribeTarget(const ProbeTarget& target);

}  // namespace nubpf::compiler
