// The loader's StackNamer: kernel frames through /proc/kallsyms, user
// frames through /proc/PID/maps and the ELF symbols of the mapped files.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

#include "runtime/kernel_symbols.h"
#include "runtime/stack_trace.h"
#include "runtime/user_symbols.h"

namespace nubpf::runtime {

class StackSymbolizer : public StackNamer {
 public:
  // Warnings, such as an unreadable /proc/kallsyms, go to `warnings` once
  // each, or nowhere when it is null. Tests set the paths.
  explicit StackSymbolizer(std::FILE* warnings, std::string kallsyms_path = "/proc/kallsyms",
                           std::string proc_root = "/proc")
      : warnings_(warnings),
        kallsyms_path_(std::move(kallsyms_path)),
        user_(std::move(proc_root)) {}

  // Reads /proc/kallsyms on the first kernel stack, so the functions of a
  // module loaded later show as addresses. Caches what it reads of each
  // process and file (user_symbols.h). A frame that cannot be named shows
  // its address.
  void Name(StackTrace& stack) override;

 private:
  const KernelSymbols& Kernel();

  std::FILE* warnings_;
  std::string kallsyms_path_;
  std::optional<KernelSymbols> kernel_;
  UserSymbols user_;
};

}  // namespace nubpf::runtime
