#include "runtime/attach_errors.h"

#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <optional>

#include "runtime/load_errors.h"
#include "runtime/section_family.h"
#include "runtime/tracefs.h"

namespace nubpf::runtime {
namespace {

// The mount point of tracefs before /sys/kernel/tracing existed, where
// libbpf looks too.
constexpr const char* kDebugfsTracingPath = "/sys/kernel/debug/tracing";

constexpr const char* kPerfParanoidPath =
    "/proc/sys/kernel/perf_event_paranoid";
constexpr const char* kPerfMaxSampleRatePath =
    "/proc/sys/kernel/perf_event_max_sample_rate";

bool PathExists(const std::string& path) {
  return access(path.c_str(), F_OK) == 0;
}

// True when tracefs, at either mount point, has the file `name`.
bool TracefsHas(const std::string& name) {
  return PathExists(std::string(kTracefsPath) + "/" + name) ||
         PathExists(std::string(kDebugfsTracingPath) + "/" + name);
}

// Reads a file of /proc/sys that contains one integer.
std::optional<long> ReadProcNumber(const char* path) {
  std::ifstream file(path);
  long value = 0;
  if (!(file >> value)) {
    return std::nullopt;
  }
  return value;
}

const char* LoaderBlockName(AttachKind kind) {
  return kind == AttachKind::kEnd ? "end" : "begin";
}

std::string UprobeTarget(const AttachInfo& attach) {
  if (attach.symbol.empty()) {
    return fmt::format("`{}` at file offset {:#x}", attach.path, attach.offset);
  }
  if (attach.offset != 0) {
    return fmt::format("`{}` at `{}+{:#x}`", attach.path, attach.symbol,
                       attach.offset);
  }
  return fmt::format("`{}` at `{}`", attach.path, attach.symbol);
}

}  // namespace

bool KprobesAvailable() {
  return PathExists(kKprobePmuPath) || TracefsHas("kprobe_events");
}

Error KprobeAttachError(const Metadata& metadata, std::string_view function,
                        std::string_view section, int error_number) {
  Error error;
  error.error_number = error_number;
  std::string program = ProgramDescription(metadata, function);
  const char* family = SectionFamilyName(ParseSectionFamily(section));
  std::string_view kernel_function = SectionTarget(section);

  if (!KprobesAvailable()) {
    error.message = fmt::format(
        "cannot attach {} to {} `{}`: kprobes are not available in this "
        "kernel (no kprobe_events in tracefs and no PMU `kprobe` in "
        "/sys/bus/event_source/devices)",
        program, family, kernel_function);
    error.help =
        "the kernel was built without kprobe events (CONFIG_KPROBE_EVENTS); "
        "probe a tracepoint or a tp_btf tracepoint that the function passes "
        "through instead";
    return error;
  }

  if (error_number == ENOENT || error_number == EINVAL) {
    error.message = fmt::format(
        "cannot attach {} to {} `{}`: the kernel has no function `{}` that "
        "kprobes may probe: {}",
        program, family, kernel_function, kernel_function,
        ErrnoText(error_number));
    AddLibbpfWarnings(error);
    error.help =
        "check the name in /proc/kallsyms; inlined functions and those in "
        "the kprobe blacklist (/sys/kernel/debug/kprobes/blacklist) cannot "
        "be probed";
    return error;
  }

  error.message = fmt::format("cannot attach {} to {} `{}`: {}", program,
                              family, kernel_function, ErrnoText(error_number));
  AddLibbpfWarnings(error);
  if (error_number == EPERM || error_number == EACCES) {
    error.help = fmt::format(
        "attaching kprobes needs root or CAP_PERFMON; run {} as root (sudo)", ProgramName());
  }
  return error;
}

Error ProgramRejectedError(const Metadata& metadata, std::string_view function,
                           std::string_view section, int error_number) {
  Error error;
  error.error_number = error_number;
  SectionFamily family = ParseSectionFamily(section);
  error.message = fmt::format(
      "the kernel refused to load {} {}: {}", SectionFamilyName(family),
      ProgramDescription(metadata, function), ErrnoText(error_number));
  // libbpf fails these with ESRCH or ENOENT when it cannot find the
  // target's BTF id, before it passes the program to the kernel.
  bool target_not_found = error_number == ESRCH || error_number == ENOENT;
  if (target_not_found && (family == SectionFamily::kFentry || family == SectionFamily::kFexit)) {
    error.message += fmt::format("; the kernel's BTF has no function `{}`", SectionTarget(section));
  }
  if (target_not_found && family == SectionFamily::kTpBtf) {
    error.message +=
        fmt::format("; the kernel's BTF has no tracepoint `{}`", SectionTarget(section));
  }
  AddLibbpfWarnings(error);

  switch (family) {
    case SectionFamily::kFentry:
    case SectionFamily::kFexit:
      // A kprobe is the usual way around, unless this kernel lacks those too.
      error.help =
          KprobesAvailable()
              ? fmt::format("fentry and fexit programs need BPF trampolines, which "
                            "some kernels lack or refuse; probe the function with "
                            "`kprobe:{0}` instead, or with `bpf_probe "
                            "kernel:function(\"{0}\")`, which uses a kprobe where "
                            "fentry is refused",
                            SectionTarget(section))
              : "fentry and fexit programs need BPF trampolines, which this kernel "
                "refuses, and it has no kprobes either; trace a tracepoint near the "
                "function instead (`ls /sys/kernel/tracing/events`)";
      break;
    case SectionFamily::kTracepoint:
    case SectionFamily::kRawTracepoint:
    case SectionFamily::kTpBtf:
    case SectionFamily::kKprobe:
    case SectionFamily::kKretprobe:
    case SectionFamily::kUprobe:
    case SectionFamily::kUretprobe:
    case SectionFamily::kPerfEvent:
    case SectionFamily::kOther:
      error.help = "run with --verbose for libbpf's messages";
      break;
  }
  return error;
}

Error UprobeFileError(const Metadata& metadata, std::string_view function,
                      const AttachInfo& attach, int error_number) {
  Error error;
  error.error_number = error_number;
  std::string program = ProgramDescription(metadata, function);
  if (error_number == ENOENT) {
    error.message = fmt::format("cannot attach {}: file `{}` not found",
                                program, attach.path);
  } else {
    error.message = fmt::format("cannot attach {}: cannot read file `{}`: {}",
                                program, attach.path, ErrnoText(error_number));
  }
  error.help = fmt::format(
      "{} opens the uprobe's file when it attaches; install the program at that path, or "
      "compile the probe with the path it has on this machine",
      ProgramName());
  return error;
}

Error UprobeAttachError(const Metadata& metadata, std::string_view function,
                        const AttachInfo& attach, int error_number) {
  Error error;
  error.error_number = error_number;
  std::string program = ProgramDescription(metadata, function);
  bool uprobes_available =
      PathExists(kUprobePmuPath) || TracefsHas("uprobe_events");

  if (!uprobes_available) {
    error.message = fmt::format(
        "cannot attach {} to {}: uprobes are not available in this kernel "
        "(no uprobe_events in tracefs and no PMU `uprobe` in "
        "/sys/bus/event_source/devices)",
        program, UprobeTarget(attach));
    error.help =
        "the kernel was built without uprobe events (CONFIG_UPROBE_EVENTS)";
    return error;
  }

  // libbpf looks the symbol up in the file's symbol tables and fails with
  // ENOENT when neither has it.
  if (error_number == ENOENT && !attach.symbol.empty()) {
    error.message =
        fmt::format("cannot attach {}: symbol `{}` not found in `{}`", program,
                    attach.symbol, attach.path);
    AddLibbpfWarnings(error);
    error.help = fmt::format(
        "list the functions the file defines with `nm --defined-only {0}` "
        "or, for a stripped file, `nm -D --defined-only {0}`",
        attach.path);
    return error;
  }

  error.message = fmt::format("cannot attach {} to {}: {}", program,
                              UprobeTarget(attach), ErrnoText(error_number));
  AddLibbpfWarnings(error);
  error.help = "run with --verbose for libbpf's messages";
  return error;
}

Error PerfEventOpenError(const Metadata& metadata, std::string_view function,
                         const AttachInfo& attach, int cpu, int error_number) {
  Error error;
  error.error_number = error_number;
  error.message = fmt::format(
      "cannot attach {}: the kernel refused to open a CPU clock perf event "
      "on CPU {}: {}",
      ProgramDescription(metadata, function), cpu, ErrnoText(error_number));

  if (error_number == EACCES || error_number == EPERM) {
    std::optional<long> paranoid = ReadProcNumber(kPerfParanoidPath);
    error.help = fmt::format(
        "{} is {}; above 0, perf events on a whole CPU need CAP_PERFMON (or "
        "CAP_SYS_ADMIN before Linux 5.8); run {} as root (sudo)",
        kPerfParanoidPath,
        paranoid ? std::to_string(*paranoid) : std::string("unreadable"), ProgramName());
    return error;
  }

  std::optional<long> max_rate = ReadProcNumber(kPerfMaxSampleRatePath);
  if (error_number == EINVAL && attach.frequency != 0 && max_rate &&
      attach.frequency > static_cast<uint64_t>(*max_rate)) {
    error.help = fmt::format(
        "{} Hz is above the kernel's maximum sample rate of {} Hz ({}); use "
        "a lower rate",
        attach.frequency, *max_rate, kPerfMaxSampleRatePath);
    return error;
  }
  if (error_number == ENOENT || error_number == ENODEV ||
      error_number == EOPNOTSUPP) {
    error.help =
        "the kernel has no software CPU clock event on that CPU; check that "
        "the CPU is online in /sys/devices/system/cpu/online";
  }
  return error;
}

Error PerfEventAttachError(const Metadata& metadata, std::string_view function,
                           int cpu, int error_number) {
  Error error;
  error.error_number = error_number;
  error.message = fmt::format(
      "cannot attach {} to its CPU clock perf event on CPU {}: {}",
      ProgramDescription(metadata, function), cpu, ErrnoText(error_number));
  AddLibbpfWarnings(error);
  error.help = "run with --verbose for libbpf's messages";
  return error;
}

Error LoaderBlockRunError(const Metadata& metadata, std::string_view function,
                          AttachKind kind, int error_number) {
  Error error;
  error.error_number = error_number;
  error.message =
      fmt::format("cannot run the `{}` block, {}: BPF_PROG_TEST_RUN failed: {}",
                  LoaderBlockName(kind), ProgramDescription(metadata, function),
                  ErrnoText(error_number));
  if (error_number == EINVAL || error_number == EOPNOTSUPP ||
      error_number == kKernelEnotsupp) {
    error.help =
        "running a raw tracepoint program once with BPF_PROG_TEST_RUN needs "
        "Linux 5.10 or later";
  }
  return error;
}

Error LoaderBlockReturnError(const Metadata& metadata,
                             std::string_view function, AttachKind kind,
                             uint32_t return_value) {
  Error error;
  error.message = fmt::format(
      "the `{}` block, {}, returned {}, but nubpfc's programs return 0",
      LoaderBlockName(kind), ProgramDescription(metadata, function),
      return_value);
  error.help = "this is a bug in nubpfc; please report it with the .nu file";
  return error;
}

}  // namespace nubpf::runtime
