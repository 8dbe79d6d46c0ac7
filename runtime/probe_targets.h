// Looks up whether the kernel function, tracepoint or file that a probe
// attaches to exists on this machine, before anything loads. An fentry or
// tp_btf program whose target is missing fails inside libbpf's load with
// only an errno, so `--allow-missing` must leave such programs out first.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/metadata.h"

struct btf;

namespace nubpf::runtime {

// The reason a probe's target is missing, for messages and help lines.
struct MissingTarget {
  // Such as "tracepoint syscalls:sys_enter_x not found on this kernel".
  std::string reason;
  // The place where the user can look up the names that do exist.
  std::string help;
};

// The kernel's names, each read on first use and only when a probe needs
// it. The paths are inputs so that tests can give their own files.
class KernelTargets {
 public:
  struct Paths {
    std::string vmlinux_btf = "/sys/kernel/btf/vmlinux";
    std::string kallsyms = "/proc/kallsyms";
    // tracefs mount points, each with an `events` folder when mounted.
    std::vector<std::string> tracefs = {"/sys/kernel/tracing",
                                        "/sys/kernel/debug/tracing"};
  };

  explicit KernelTargets(Paths paths);
  ~KernelTargets();
  KernelTargets(const KernelTargets&) = delete;
  KernelTargets& operator=(const KernelTargets&) = delete;

  // Returns what is missing for the program in ELF section `section`
  // (`tracepoint/CAT/NAME`, `fentry/FUNCTION`, ...) attached as `attach`
  // describes, or nullopt when the target exists or cannot be checked
  // here: attaching then reports it. Perf events and the `begin` and `end`
  // blocks are never reported.
  std::optional<MissingTarget> FindMissing(std::string_view section,
                                           const AttachInfo& attach);

 private:
  std::optional<MissingTarget> FindMissingTracepoint(std::string_view category,
                                                     std::string_view name);
  std::optional<MissingTarget> FindMissingBtfFunction(std::string_view family,
                                                      std::string_view function);
  // A tp_btf or raw tracepoint `name`; `family` names it in messages.
  std::optional<MissingTarget> FindMissingBtfTracepoint(std::string_view family,
                                                        std::string_view name);
  std::optional<MissingTarget> FindMissingKprobeFunction(std::string_view family,
                                                         std::string_view function);
  std::optional<MissingTarget> FindMissingUprobeTarget(const AttachInfo& attach);

  // The tracefs roots whose `events` folder exists.
  std::vector<std::string> MountedTracefs() const;
  // Null when the kernel has no BTF at the path.
  const struct btf* VmlinuxBtf();
  bool KallsymsHas(std::string_view name);

  Paths paths_;
  bool btf_read_ = false;
  struct btf* btf_ = nullptr;
  std::optional<std::set<std::string, std::less<>>> kallsyms_;
};

// Returns whether ELF file `path` defines symbol `name` in `.symtab` or
// `.dynsym`, or nullopt when the file cannot be read as ELF.
std::optional<bool> ElfDefinesSymbol(const std::string& path, std::string_view name);

}  // namespace nubpf::runtime
