// Builds the errors of the load pipeline: each names the file, program or
// map, the cause and what to do, so that no failure reads "error loading
// program" alone.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/error.h"
#include "runtime/instruction_source.h"
#include "runtime/metadata.h"

namespace nubpf::runtime {

// The number of verifier log lines an error shows: the rejection reason is
// at the end of the log, after the instructions that led to it.
inline constexpr size_t kVerifierLogTailLines = 20;

// Returns the last `count` non-empty lines of a verifier log.
std::vector<std::string> LogTail(std::string_view log, size_t count);

// Returns where the probe of BPF program `function` starts, as
// `FILE:LINE:COLUMN` from its `program` metadata line, or an empty string
// when the metadata has no such line.
std::string ProbeLocation(const Metadata& metadata, std::string_view function);

// Returns `program `F``, followed by ` (the probe at FILE:LINE:COLUMN)`
// when the metadata has a `program` line for `function`.
std::string ProgramDescription(const Metadata& metadata,
                               std::string_view function);

// The kernel's ENOTSUPP, which BPF calls return to user space although the
// C library has no name for it.
inline constexpr int kKernelEnotsupp = 524;

// Returns strerror(error_number), naming the kernel's ENOTSUPP too.
std::string ErrnoText(int error_number);

// The object has no `.nubpf` section.
Error MissingMetadataError(const std::string& path);

// The kernel's verifier rejected `function`; `log` is its verifier log.
// The message ends with the verifier's reason. `failing_source` is the
// source of the instruction the verifier stopped at, when the object's
// line info has it. The details then show that line with a caret, before
// the last lines of the log.
Error VerifierError(const std::string& path, const Metadata& metadata,
                    std::string_view function, std::string_view log,
                    const std::optional<InstructionSource>& failing_source = std::nullopt);

// Loading or attaching failed with EPERM or EACCES and no verifier log.
// `missing_capabilities` is the result of MissingBpfCapabilities(). The
// message names them, or, when there are none, states that the kernel
// rejected the call for another reason than capabilities.
Error PrivilegeError(const std::string& path, std::string_view step, int error_number,
                     const std::vector<std::string>& missing_capabilities);

// bpf_program__attach() of `function` failed with `error_number`.
// `section` is the program's ELF section, such as
// `tracepoint/syscalls/sys_enter_openat`. A tracepoint that is missing and
// a kprobe on a kernel without kprobes get their own message.
Error AttachError(const Metadata& metadata, std::string_view function,
                  std::string_view section, int error_number);

// Appends libbpf's recent warnings to `error.details`; libbpf starts each
// message with `libbpf: ` itself.
void AddLibbpfWarnings(Error& error);

}  // namespace nubpf::runtime
