// Compiles probe text against a fake tracefs, so compiler tests depend on
// neither the running kernel nor its tracepoints.
#pragma once

#include <string>

#include "compiler/checker.h"
#include "compiler/mir.h"
#include "frontend/diagnostics.h"
#include "frontend/source.h"

namespace nubpf::testing {

// A tracefs folder with the formats of syscalls:sys_enter_openat,
// syscalls:sys_enter_newstat, syscalls:sys_exit_read, raw_syscalls:sys_enter
// and sched:sched_switch, as a 6.x kernel prints them.
class FakeTracefs {
 public:
  FakeTracefs();
  ~FakeTracefs();
  const std::string& root() const { return root_; }

 private:
  void AddFormat(const std::string& category, const std::string& name,
                 const std::string& fields);
  std::string root_;
};

struct CheckResult {
  bool ok = false;
  mir::Module module;
  std::string mir;          // the `--emit mir` dump
  std::string diagnostics;  // RenderCompact of every diagnostic
  frontend::SourceFile source{"probe.nu", ""};
};

// Parses and checks `text` as the file `path`, which names it in the
// rendered diagnostics. Kernel types come from the BTF at `btf_path`, or
// from the running kernel's when it is empty.
CheckResult CheckText(const std::string& text, const FakeTracefs& tracefs,
                      const std::string& path = "probe.nu",
                      const std::string& btf_path = "");

}  // namespace nubpf::testing
