#include "tests/support/llvm_ir.h"

#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

std::string Failure(const std::string& tool, const RunResult& result) {
  // The child exits with 127 when execv cannot start the tool.
  if (result.exit_code == 127 && result.err.empty()) {
    return tool + " not found; Debian's llvm-19 package installs it";
  }
  return tool + " exited with " + std::to_string(result.exit_code) + ":\n" + result.err;
}

}  // namespace

std::string LlvmToolPath(const std::string& name) {
  return std::string(NUBPF_LLVM_TOOLS_DIR) + "/" + name;
}

std::string AssembleBpfIr(const std::string& ir_path, const std::string& object_path) {
  std::string optimized = object_path + ".opt.ll";
  RunResult opt = RunToExit(
      {LlvmToolPath("opt"), "-mtriple=bpf-pc-linux", "-O2", "-S", ir_path, "-o", optimized});
  if (opt.exit_code != 0) return Failure(LlvmToolPath("opt"), opt);
  RunResult llc = RunToExit(
      {LlvmToolPath("llc"), "-march=bpf", "-filetype=obj", optimized, "-o", object_path});
  if (llc.exit_code != 0) return Failure(LlvmToolPath("llc"), llc);
  return "";
}

}  // namespace nubpf::testing
