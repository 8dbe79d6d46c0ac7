// A libFuzzer target over the whole compiler: each input is a probe file,
// compiled in memory by CompileText. Errors in the input are expected; the
// target aborts on an internal error, and the sanitizers and libFuzzer catch
// crashes, hangs, leaks and undefined behaviour. `make fuzz` builds and runs
// it (docs/testing.md).

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "compiler/kernel_btf.h"
#include "tests/fuzz/compile_text.h"

namespace {

// The running kernel's BTF, parsed once: parsing it takes longer than
// compiling most inputs.
std::unique_ptr<nubpf::compiler::KernelBtf> kernel_btf;

int SilenceLibbpf(enum libbpf_print_level, const char*, va_list) { return 0; }

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  libbpf_set_print(SilenceLibbpf);
  std::string error;
  kernel_btf = nubpf::compiler::KernelBtf::Load("", &error);
  if (kernel_btf == nullptr) {
    std::fprintf(stderr, "compile_fuzzer: cannot read kernel BTF: %s\n", error.c_str());
    std::exit(1);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);

  // Modules resolve against a folder that does not exist, so an input's
  // `use` finds only absolute paths.
  nubpf::fuzzing::CompileTextResult result =
      nubpf::fuzzing::CompileText(text, "/nonexistent/fuzz.nu", *kernel_btf);
  if (result.outcome == nubpf::fuzzing::CompileOutcome::kInternalError) {
    std::fprintf(stderr, "compile_fuzzer: internal error:\n%s\n", result.message.c_str());
    std::abort();
  }
  return 0;
}
