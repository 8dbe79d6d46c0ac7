// The report of `nubpf-run --verify` on each program the kernel loaded:
// the number of instructions the verifier processed, and the program's
// size after the kernel translated it and after the JIT compiled it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "runtime/error.h"
#include "runtime/metadata.h"
#include "runtime/output_format.h"

struct bpf_object;

namespace nubpf::runtime {

struct ProgramVerification {
  std::string function;
  // The probe target as written (`tracepoint:syscalls:sys_enter_openat`),
  // or the ELF section of a program the metadata does not describe.
  std::string probe;
  // bpf_prog_info.verified_insns; nullopt on kernels before 5.16, which
  // do not report it.
  std::optional<uint32_t> verified_instructions;
  // bpf_prog_info.xlated_prog_len and jited_prog_len, in bytes.
  uint32_t translated_bytes = 0;
  uint32_t jited_bytes = 0;
};

// Reads the kernel's information on every loaded program of `object`, in
// object order. Programs left out of the load, such as an fentry program
// replaced by its fallback or a probe skipped by --allow-missing, are not
// listed. The error names the program whose information cannot be read.
ErrorOr<std::vector<ProgramVerification>> ReadProgramVerifications(const Metadata& metadata,
                                                                   bpf_object* object);

// Writes one row per program in `format`: a table under a header, or one
// record per line with the columns `program`, `probe`, `verified_insns`
// (null when not reported), `xlated_bytes` and `jited_bytes`.
void PrintProgramVerifications(const std::vector<ProgramVerification>& programs,
                               OutputFormat format, std::FILE* out);

}  // namespace nubpf::runtime
