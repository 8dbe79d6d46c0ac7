// The backend's entry point: MIR in, LLVM IR, BPF assembly or a relocatable
// BPF ELF object out. Callers see no LLVM type, so only this library links
// LLVM.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "compiler/mir.h"
#include "frontend/source.h"

namespace nubpf::backend {

enum class OutputKind { kLlvmIr, kAssembly, kObject };

struct BackendOptions {
  // 0 runs no LLVM optimisation; 2 runs LLVM's default -O2 pipeline.
  int optimization_level = 2;
  // The BPF instruction set LLVM generates: `v1`, the first one, `v2` for
  // 4.14 and later (more conditional jumps), `v3` for 5.1 and later (32-bit
  // jumps and ALU32), `v4` for 6.6 and later (sign extension, signed
  // division).
  std::string cpu = "v3";
  // Bytes of the ring buffer that carries events; a power of 2 and a
  // multiple of the page size, as the kernel requires.
  uint32_t ring_buffer_bytes = 256 * 1024;
  // Gives each instruction the `.nu` line and column it came from; when
  // false, each program's instructions all carry its probe's line.
  bool line_info = true;
  // OLD and NEW prefixes of the source paths written into the object, as
  // `--file-prefix-map OLD=NEW` gives them, so that builds in different
  // folders give the same bytes.
  std::vector<std::pair<std::string, std::string>> file_prefix_map;
};

// Returns `path` as the object names it: with the first OLD prefix of
// `options.file_prefix_map` that it starts with replaced by its NEW.
std::string ObjectPath(const std::string& path, const BackendOptions& options);

// Lowers `module`, which was checked from `source`, and stores the result
// in `output`. Returns false and sets `error` when the probe needs more than
// the kernel allows, or when LLVM fails. An LLVM failure is a compiler bug,
// because the checker should have rejected the program, and its message
// starts with `internal error:`.
bool Emit(const mir::Module& module, const frontend::SourceFile& source,
          const BackendOptions& options, OutputKind kind, std::string* output,
          std::string* error);

// The version of the LLVM libraries the backend was built with, such as
// "19.1.7".
std::string LlvmVersion();

}  // namespace nubpf::backend
