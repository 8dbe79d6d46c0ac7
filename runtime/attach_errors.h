// Errors of the probe families that need more from the loader than
// bpf_program__attach(): kprobes, fentry programs the kernel refuses,
// uprobes, perf events and the `begin` and `end` blocks. Each names the
// program and its probe's place in the `.nu` file, then the cause in the
// terms a user acts on.
#pragma once

#include <string>
#include <string_view>

#include "runtime/error.h"
#include "runtime/metadata.h"

namespace nubpf::runtime {

// The kprobe PMU, through which libbpf makes kprobes on current kernels;
// older kernels have only tracefs' kprobe_events.
inline constexpr const char* kKprobePmuPath =
    "/sys/bus/event_source/devices/kprobe";
inline constexpr const char* kUprobePmuPath =
    "/sys/bus/event_source/devices/uprobe";

// True when the kernel can make kprobes: the kprobe PMU exists, or tracefs
// has kprobe_events.
bool KprobesAvailable();

// Attaching kprobe or kretprobe program `function` (section `section`,
// such as `kprobe/vfs_read`) failed with `error_number`.
Error KprobeAttachError(const Metadata& metadata, std::string_view function,
                        std::string_view section, int error_number);

// Loading failed with no verifier log, and loading `function` alone from
// the object fails with `error_number`: the kernel refuses that program.
Error ProgramRejectedError(const Metadata& metadata, std::string_view function,
                           std::string_view section, int error_number);

// The file of uprobe program `function` cannot be read (stat(2) failed
// with `error_number`).
Error UprobeFileError(const Metadata& metadata, std::string_view function,
                      const AttachInfo& attach, int error_number);

// bpf_program__attach_uprobe_opts() of `function` failed with
// `error_number`; a missing symbol and a kernel without uprobes get their
// own message.
Error UprobeAttachError(const Metadata& metadata, std::string_view function,
                        const AttachInfo& attach, int error_number);

// perf_event_open(2) of the CPU clock event for `function` on `cpu`
// failed with `error_number`.
Error PerfEventOpenError(const Metadata& metadata, std::string_view function,
                         const AttachInfo& attach, int cpu, int error_number);

// bpf_program__attach_perf_event() of `function` on `cpu` failed.
Error PerfEventAttachError(const Metadata& metadata, std::string_view function,
                           int cpu, int error_number);

// BPF_PROG_TEST_RUN of the `begin` or `end` block `function` failed with
// `error_number`.
Error LoaderBlockRunError(const Metadata& metadata, std::string_view function,
                          AttachKind kind, int error_number);

// The `begin` or `end` block `function` ran but returned `return_value`,
// where nubpfc's programs always return 0.
Error LoaderBlockReturnError(const Metadata& metadata,
                             std::string_view function, AttachKind kind,
                             uint32_t return_value);

}  // namespace nubpf::runtime
