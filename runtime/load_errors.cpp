#include "runtime/load_errors.h"

#include <fmt/core.h>

#include <cerrno>
#include <cstring>

#include "runtime/attach_errors.h"
#include "runtime/capabilities.h"
#include "runtime/libbpf_log.h"
#include "runtime/section_family.h"
#include "runtime/tracefs.h"
#include "runtime/verifier_log.h"

namespace nubpf::runtime {
namespace {

constexpr const char* kTracepointPrefix = "tracepoint/";

// Returns `CAT:NAME` for a section `tracepoint/CAT/NAME`, or an empty
// string for any other section.
std::string TracepointName(std::string_view section) {
  std::string_view prefix = kTracepointPrefix;
  if (section.substr(0, prefix.size()) != prefix) {
    return "";
  }
  std::string name(section.substr(prefix.size()));
  size_t slash = name.find('/');
  if (slash == std::string::npos) {
    return "";
  }
  name[slash] = ':';
  return name;
}

}  // namespace

std::string ProgramDescription(const Metadata& metadata,
                               std::string_view function) {
  std::string location = ProbeLocation(metadata, function);
  if (location.empty()) {
    return fmt::format("program `{}`", function);
  }
  return fmt::format("program `{}` (the probe at {})", function, location);
}

std::string ErrnoText(int error_number) {
  if (error_number == kKernelEnotsupp) {
    return "operation not supported by the kernel (ENOTSUPP)";
  }
  return std::strerror(error_number);
}

std::vector<std::string> LogTail(std::string_view log, size_t count) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < log.size()) {
    size_t newline = log.find('\n', start);
    if (newline == std::string_view::npos) {
      newline = log.size();
    }
    std::string_view line = log.substr(start, newline - start);
    if (!line.empty()) {
      lines.emplace_back(line);
    }
    start = newline + 1;
  }
  if (lines.size() > count) {
    lines.erase(lines.begin(), lines.end() - static_cast<long>(count));
  }
  return lines;
}

std::string ProbeLocation(const Metadata& metadata, std::string_view function) {
  const ProgramInfo* program = metadata.FindProgram(function);
  if (program == nullptr) {
    return "";
  }
  std::string source =
      metadata.source.empty() ? "<unknown source>" : metadata.source;
  return fmt::format("{}:{}:{}", source, program->position.line,
                     program->position.column);
}

Error MissingMetadataError(const std::string& path) {
  Error error;
  error.message = fmt::format(
      "`{}` has no `.nubpf` section, so it was not made by nubpfc", path);
  error.help =
      "nubpf-run runs objects written by nubpfc: compile the probe with `nubpfc FILE.nu -o "
      "FILE.bpf.o`, and load other BPF objects with `bpftool prog loadall`";
  return error;
}

Error VerifierError(const std::string& path, const Metadata& metadata,
                    std::string_view function, std::string_view log,
                    const std::optional<InstructionSource>& failing_source) {
  VerifierRejection rejection = ParseVerifierLog(log);
  Error error;
  error.message = fmt::format("the BPF verifier rejected {} in `{}`",
                              ProgramDescription(metadata, function), path);
  if (!rejection.reason.empty()) {
    error.message += ": " + rejection.reason;
  }

  // The source line comes first, because the user wrote it, while the
  // instructions in the log are the compiler's.
  if (failing_source && rejection.instruction) {
    const InstructionSource& at = *failing_source;
    error.details.push_back(fmt::format("the verifier stopped at instruction {}, compiled "
                                        "from {}:{}:{}:",
                                        *rejection.instruction, at.file, at.line, at.column));
    for (const std::string& line : SourceSnippet(at)) {
      error.details.push_back(line);
    }
  }

  std::vector<std::string> tail = LogTail(log, kVerifierLogTailLines);
  error.details.push_back(
      fmt::format("verifier log, last {} lines:", tail.size()));
  error.details.insert(error.details.end(), tail.begin(), tail.end());

  // libbpf turns a CO-RE access to a member this kernel lacks into an
  // invalid call, which the verifier rejects where the access can run.
  // That is a probe compiled for another kernel, not a compiler bug.
  if (log.find("failed to resolve CO-RE relocation") != std::string_view::npos) {
    error.help =
        "this kernel lacks a kernel struct member the probe reads, which the "
        "log names; compile the probe against this kernel's BTF, or read the "
        "member with `?` to get null where it is missing";
    return error;
  }
  // Programs that nubpfc accepts are meant to pass the verifier.
  error.help =
      "this is a bug in nubpfc; please report it with the .nu file and the "
      "whole verifier log, which --verbose prints";
  return error;
}

Error PrivilegeError(const std::string& path, std::string_view step, int error_number,
                     const std::vector<std::string>& missing_capabilities) {
  Error error;
  error.error_number = error_number;
  error.message = fmt::format(
      "cannot {} `{}`: {}; loading BPF programs needs root or CAP_BPF and "
      "CAP_PERFMON (CAP_SYS_ADMIN on kernels before 5.8)",
      step, path, std::strerror(error_number));
  if (missing_capabilities.empty()) {
    error.details.push_back(
        "this process has those capabilities, so something else refused, such "
        "as a Linux security module, kernel lockdown or a seccomp filter");
  } else {
    error.details.push_back(
        fmt::format("this process lacks {} in its effective capability set",
                    JoinCapabilityNames(missing_capabilities)));
  }
  AddLibbpfWarnings(error);
  error.help = fmt::format(
      "run {0} as root (sudo), or give it the capabilities with "
      "`setcap cap_bpf,cap_perfmon+ep PATH-TO-{0}`",
      ProgramName());
  return error;
}

Error AttachError(const Metadata& metadata, std::string_view function,
                  std::string_view section, int error_number) {
  Error error;
  error.error_number = error_number;
  std::string program = ProgramDescription(metadata, function);
  std::string tracepoint = TracepointName(section);

  if (error_number == ENOENT && !tracepoint.empty() && !TracefsMounted()) {
    error.message = fmt::format(
        "cannot attach {}: tracefs is not mounted at {}, so tracepoint {} "
        "cannot be looked up",
        program, kTracefsPath, tracepoint);
    error.help = fmt::format("mount it as root: `mount -t tracefs tracefs {}`",
                             kTracefsPath);
    return error;
  }
  if (error_number == ENOENT && !tracepoint.empty()) {
    error.message =
        fmt::format("cannot attach {}: tracepoint {} not found on this kernel",
                    program, tracepoint);
    error.help = fmt::format("list them in {}/events", kTracefsPath);
    return error;
  }

  SectionFamily family = ParseSectionFamily(section);
  if (family == SectionFamily::kKprobe || family == SectionFamily::kKretprobe) {
    return KprobeAttachError(metadata, function, section, error_number);
  }

  error.message = fmt::format("cannot attach {} to `{}`: {}", program, section,
                              ErrnoText(error_number));
  AddLibbpfWarnings(error);
  if (error_number == EPERM || error_number == EACCES) {
    error.help = fmt::format(
        "attaching BPF programs needs root or CAP_BPF and CAP_PERFMON; run {} as root (sudo)",
        ProgramName());
  }
  return error;
}

void AddLibbpfWarnings(Error& error) {
  for (const std::string& line : RecentLibbpfWarnings()) {
    error.details.push_back(line);
  }
}

}  // namespace nubpf::runtime
