// The build host's inputs for probe targets and kernel types: tracefs for
// tracepoint formats, and kernel BTF. Each is loaded on first use and kept
// for the whole file, so a file that needs neither touches neither.
#pragma once

#include <memory>
#include <string>

#include "compiler/kernel_btf.h"
#include "frontend/diagnostics.h"
#include "frontend/input_files.h"

namespace nubpf::compiler {

class TargetEnvironment {
 public:
  // `tracefs_root` and `btf_path` as the user gave them; empty means the
  // build host's own. `inputs`, when not null, records each file read.
  // `loaded_btf`, when not null, is the BTF from `btf_path` already parsed,
  // and Btf() returns it without reading the file again.
  TargetEnvironment(std::string tracefs_root, std::string btf_path,
                    frontend::InputFiles* inputs = nullptr,
                    const KernelBtf* loaded_btf = nullptr)
      : tracefs_root_(std::move(tracefs_root)),
        btf_path_(std::move(btf_path)),
        loaded_btf_(loaded_btf),
        inputs_(inputs) {}

  // The tracefs root, found (and mounted) on first use. Returns an empty
  // string after reporting an error at `span`.
  const std::string& Tracefs(frontend::Span span,
                             frontend::DiagnosticSink& diagnostics);

  // The kernel BTF, parsed on first use. Returns null after reporting an
  // error at `span`; later calls return null without reporting again.
  const KernelBtf* Btf(frontend::Span span, frontend::DiagnosticSink& diagnostics);

  // True unless `--btf` named another kernel's BTF: only then do the
  // host's /proc and /sys describe the kernel the probe is built for.
  bool UsesHostBtf() const { return btf_path_.empty(); }

  // Records a file that a probe target was resolved from, such as a
  // tracepoint's `format` or a uprobe's ELF file.
  void RecordInput(const std::string& path) { frontend::RecordInput(inputs_, path); }

 private:
  std::string tracefs_root_;
  bool tracefs_failed_ = false;
  std::string btf_path_;
  const KernelBtf* loaded_btf_;
  std::unique_ptr<KernelBtf> btf_;
  bool btf_failed_ = false;
  frontend::InputFiles* inputs_;
};

}  // namespace nubpf::compiler
