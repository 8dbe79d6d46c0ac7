#include "compiler/target_environment.h"

#include <filesystem>

#include "compiler/tracepoint_format.h"

namespace nubpf::compiler {

const std::string& TargetEnvironment::Tracefs(frontend::Span span,
                                              frontend::DiagnosticSink& diagnostics) {
  if (tracefs_failed_) return tracefs_root_;
  if (!tracefs_root_.empty()) {
    if (std::filesystem::is_directory(tracefs_root_ + "/events")) return tracefs_root_;
    diagnostics.Error(span, "`--tracefs " + tracefs_root_ + "` has no `events` folder",
                      "pass a tracefs root, such as `/sys/kernel/tracing`, or a copy "
                      "that keeps its `events` folder");
    tracefs_failed_ = true;
    tracefs_root_.clear();
    return tracefs_root_;
  }
  tracefs_root_ = FindTracefs();
  if (tracefs_root_.empty()) {
    tracefs_failed_ = true;
    diagnostics.Error(span, "cannot read tracepoint formats: tracefs is not mounted",
                      "mount it with `mount -t tracefs nodev /sys/kernel/tracing` "
                      "(as root), or pass `--tracefs DIR` with a copy of its "
                      "`events` folder");
  }
  return tracefs_root_;
}

const KernelBtf* TargetEnvironment::Btf(frontend::Span span,
                                        frontend::DiagnosticSink& diagnostics) {
  if (loaded_btf_ != nullptr) return loaded_btf_;
  if (btf_ != nullptr || btf_failed_) return btf_.get();
  std::string error;
  btf_ = KernelBtf::Load(btf_path_, &error);
  if (btf_ != nullptr) RecordInput(btf_path_.empty() ? kRunningKernelBtf : btf_path_);
  if (btf_ == nullptr) {
    btf_failed_ = true;
    diagnostics.Error(span, error,
                      btf_path_.empty()
                          ? "this kernel has no BTF; pass `--btf FILE` with the "
                            "BTF of the kernel the probe will run on"
                          : "pass a file with a `.BTF` section or raw BTF, such "
                            "as a copy of `/sys/kernel/btf/vmlinux`");
  }
  return btf_.get();
}

}  // namespace nubpf::compiler
