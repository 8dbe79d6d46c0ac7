#include "runtime/attach.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fmt/core.h>
#include <sys/stat.h>

#include <cerrno>

#include "runtime/attach_errors.h"
#include "runtime/libbpf_log.h"
#include "runtime/load_errors.h"
#include "runtime/perf_events.h"

namespace nubpf::runtime {
namespace {

// The maximum number of raw tracepoint arguments (the kernel's
// MAX_BPF_FUNC_ARGS).
// BPF_PROG_TEST_RUN takes a context of at most that many u64 values, and a
// zeroed array of that size covers every read the verifier allowed.
constexpr size_t kRawTracepointMaxArguments = 12;

void DestroyLinks(const std::vector<bpf_link*>& links) {
  for (bpf_link* link : links) {
    bpf_link__destroy(link);
  }
}

ErrorOr<std::vector<bpf_link*>> AttachBySection(const Metadata& metadata,
                                                bpf_program* program,
                                                std::FILE* verbose) {
  ClearLibbpfWarnings();
  bpf_link* link = bpf_program__attach(program);
  if (link == nullptr) {
    int error_number = errno;
    return AttachError(metadata, bpf_program__name(program),
                       bpf_program__section_name(program), error_number);
  }
  if (verbose != nullptr) {
    fmt::print(verbose, "{}: attached `{}` to {}\n", ProgramName(),
               bpf_program__name(program), bpf_program__section_name(program));
  }
  return std::vector<bpf_link*>{link};
}

// Attaches in the process `pid`, or in every process for pid -1. libbpf
// finds `symbol` in the file's symbol tables and adds `offset`; without a
// symbol, `offset` is the file offset itself. The kernel matches `pid` by
// the memory of that task at each hit, so a uprobe attached to a child of
// -c before its exec fires in the program it execs.
ErrorOr<std::vector<bpf_link*>> AttachUprobe(const Metadata& metadata,
                                             bpf_program* program,
                                             const AttachInfo& attach, int pid,
                                             std::FILE* verbose) {
  const char* function = bpf_program__name(program);
  struct stat file_status;
  if (stat(attach.path.c_str(), &file_status) != 0) {
    return UprobeFileError(metadata, function, attach, errno);
  }

  bpf_uprobe_opts options{};
  options.sz = sizeof(options);
  options.retprobe = attach.kind == AttachKind::kUretprobe;
  options.ref_ctr_offset = attach.semaphore;
  options.func_name = attach.symbol.empty() ? nullptr : attach.symbol.c_str();

  ClearLibbpfWarnings();
  bpf_link* link = bpf_program__attach_uprobe_opts(
      program, pid, attach.path.c_str(), attach.offset, &options);
  if (link == nullptr) {
    return UprobeAttachError(metadata, function, attach, errno);
  }
  if (verbose != nullptr) {
    fmt::print(verbose, "{}: attached `{}` to {} `{}` at `{}`+{}{}\n", ProgramName(),
               function, AttachKindName(attach.kind), attach.path,
               attach.symbol.empty() ? "-" : attach.symbol, attach.offset,
               pid == -1 ? "" : fmt::format(" in process {}", pid));
  }
  return std::vector<bpf_link*>{link};
}

// A profile samples every online CPU. An interval counts time once for the
// whole machine, so it needs the clock of one CPU: the first online one.
//
// NOTE: the CPUs are read once, here. A CPU that comes online later gets
// no profile event, and an interval stops if its CPU goes offline.
ErrorOr<std::vector<bpf_link*>> AttachPerfEvents(const Metadata& metadata,
                                                 bpf_program* program,
                                                 const AttachInfo& attach,
                                                 std::FILE* verbose) {
  ErrorOr<std::vector<int>> online = ReadOnlineCpus();
  if (!online) {
    return online.TakeError();
  }
  std::vector<int> cpus = std::move(*online);
  if (attach.kind == AttachKind::kInterval) {
    cpus.resize(1);
  }

  std::vector<bpf_link*> links;
  for (int cpu : cpus) {
    ClearLibbpfWarnings();
    ErrorOr<bpf_link*> link = AttachCpuClock(metadata, program, attach, cpu);
    if (!link) {
      DestroyLinks(links);
      return link.TakeError();
    }
    links.push_back(*link);
  }

  if (verbose != nullptr) {
    std::string rate = attach.frequency != 0
                           ? fmt::format("{} Hz", attach.frequency)
                           : fmt::format("every {} ns", attach.period_ns);
    fmt::print(verbose,
               "{}: attached `{}` to CPU clock perf events on {} "
               "CPU{}, {}\n", ProgramName(),
               bpf_program__name(program), cpus.size(),
               cpus.size() == 1 ? "" : "s", rate);
  }
  return links;
}

}  // namespace

std::optional<std::string> CheckProgramType(const bpf_program* program,
                                            const AttachInfo& attach) {
  bpf_prog_type expected = BPF_PROG_TYPE_UNSPEC;
  switch (attach.kind) {
    case AttachKind::kSection:
      return std::nullopt;
    case AttachKind::kUprobe:
    case AttachKind::kUretprobe:
      expected = BPF_PROG_TYPE_KPROBE;
      break;
    case AttachKind::kProfile:
    case AttachKind::kInterval:
      expected = BPF_PROG_TYPE_PERF_EVENT;
      break;
    case AttachKind::kBegin:
    case AttachKind::kEnd:
      expected = BPF_PROG_TYPE_RAW_TRACEPOINT;
      break;
  }

  bpf_prog_type type = bpf_program__type(program);
  if (type == expected) {
    return std::nullopt;
  }
  return fmt::format(
      "program `{}` is a `{}` probe in the metadata, which needs a `{}` "
      "program, but its section `{}` makes it a `{}` program",
      bpf_program__name(program), AttachKindName(attach.kind),
      libbpf_bpf_prog_type_str(expected), bpf_program__section_name(program),
      libbpf_bpf_prog_type_str(type));
}

ErrorOr<std::vector<bpf_link*>> AttachProgram(const Metadata& metadata,
                                              bpf_program* program,
                                              const ProgramInfo& info, int uprobe_pid,
                                              std::FILE* verbose) {
  switch (info.attach.kind) {
    case AttachKind::kSection:
      return AttachBySection(metadata, program, verbose);
    case AttachKind::kUprobe:
    case AttachKind::kUretprobe:
      return AttachUprobe(metadata, program, info.attach, uprobe_pid, verbose);
    case AttachKind::kProfile:
    case AttachKind::kInterval:
      return AttachPerfEvents(metadata, program, info.attach, verbose);
    case AttachKind::kBegin:
    case AttachKind::kEnd:
      // The loader runs these itself; nothing in the kernel triggers them.
      return std::vector<bpf_link*>{};
  }
  return std::vector<bpf_link*>{};
}

std::optional<Error> RunLoaderBlock(const Metadata& metadata,
                                    bpf_program* program, AttachKind kind) {
  uint64_t arguments[kRawTracepointMaxArguments] = {};
  bpf_test_run_opts options{};
  options.sz = sizeof(options);
  options.ctx_in = arguments;
  options.ctx_size_in = sizeof(arguments);

  int result = bpf_prog_test_run_opts(bpf_program__fd(program), &options);
  if (result < 0) {
    return LoaderBlockRunError(metadata, bpf_program__name(program), kind,
                               -result);
  }
  if (options.retval != 0) {
    return LoaderBlockReturnError(metadata, bpf_program__name(program), kind,
                                  options.retval);
  }
  return std::nullopt;
}

}  // namespace nubpf::runtime
