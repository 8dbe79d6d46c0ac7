#include <fmt/core.h>

#include <cerrno>

#include "runtime/attach_errors.h"
#include "runtime/capabilities.h"
#include "runtime/instruction_source.h"
#include "runtime/load_errors.h"
#include "runtime/load_state.h"
#include "runtime/rejected_program.h"
#include "runtime/section_family.h"
#include "runtime/verifier_log.h"

namespace nubpf::runtime {
namespace {

// The section of `function` in the object, or an empty string.
std::string SectionOf(const LoadState& state, const std::string& function) {
  bpf_program* program =
      bpf_object__find_program_by_name(state.object, function.c_str());
  return program == nullptr ? "" : bpf_program__section_name(program);
}

// The family of `function` as messages name it, such as `fentry`.
const char* FamilyOf(const LoadState& state, const std::string& function) {
  return SectionFamilyName(ParseSectionFamily(SectionOf(state, function)));
}

// The errors with which a kernel rejects a program type it does not
// support or allow, and libbpf a function that kernel BTF lacks (ESRCH,
// ENOENT). A verifier rejection (EACCES) is a compiler bug instead, and is
// reported, not hidden behind a fallback.
bool FallsBackOnLoadError(int error_number) {
  return error_number == EPERM || error_number == EINVAL ||
         error_number == kKernelEnotsupp || error_number == EOPNOTSUPP ||
         error_number == ESRCH || error_number == ENOENT;
}

// The programs bpf_object__load() tried to load.
std::vector<std::string> AutoloadedPrograms(const LoadState& state) {
  std::vector<std::string> functions;
  bpf_program* program;
  bpf_object__for_each_program(program, state.object) {
    if (bpf_program__autoload(program)) {
      functions.emplace_back(bpf_program__name(program));
    }
  }
  return functions;
}

}  // namespace

Error NoteFallback(const LoadState& state, const std::string& function,
                   Error error) {
  const ProgramInfo* info = state.metadata.FindProgram(function);
  if (info == nullptr || info->fallback_for.empty()) {
    return error;
  }
  auto rejection = state.rejections.find(info->fallback_for);
  if (rejection == state.rejections.end()) {
    return error;
  }
  error.details.insert(
      error.details.begin(),
      fmt::format("program `{}` is the {} fallback of {} program `{}`, which "
                  "the kernel refused to {}: {}",
                  function, FamilyOf(state, function),
                  FamilyOf(state, info->fallback_for), info->fallback_for,
                  rejection->second.step,
                  ErrnoText(rejection->second.error_number)));
  return error;
}

std::optional<Error> ChoosePrograms(LoadState& state) {
  for (const ProgramInfo& info : state.metadata.programs) {
    if (info.fallback.empty()) {
      continue;
    }
    auto rejection = state.rejections.find(info.function);
    bool rejected = rejection != state.rejections.end();
    bpf_program__set_autoload(
        bpf_object__find_program_by_name(state.object, info.function.c_str()),
        !rejected);
    bpf_program__set_autoload(
        bpf_object__find_program_by_name(state.object, info.fallback.c_str()),
        rejected);

    if (state.options.verbose == nullptr) {
      continue;
    }
    if (rejected) {
      fmt::print(state.options.verbose,
                 "{}: using {} program `{}` in place of {} program "
                 "`{}`, which the kernel refused to {}: {}\n", ProgramName(),
                 FamilyOf(state, info.fallback), info.fallback,
                 FamilyOf(state, info.function), info.function,
                 rejection->second.step,
                 ErrnoText(rejection->second.error_number));
    } else {
      fmt::print(state.options.verbose,
                 "{}: trying {} program `{}`; its {} fallback `{}` is "
                 "not loaded\n", ProgramName(),
                 FamilyOf(state, info.function), info.function,
                 FamilyOf(state, info.fallback), info.fallback);
    }
  }
  return std::nullopt;
}

std::optional<Error> ReportLoadFailure(LoadState& state, int error_number) {
  // Without the capabilities every program fails, so no fallback can help
  // and no single program is to blame.
  if (error_number == EPERM || error_number == EACCES) {
    std::vector<std::string> missing = MissingBpfCapabilities();
    if (!missing.empty()) return PrivilegeError(state.path, "load", error_number, missing);
  }

  std::string rejected;
  const char* log = nullptr;
  size_t index = 0;
  bpf_program* program;
  bpf_object__for_each_program(program, state.object) {
    const char* program_log = state.verifier_logs[index++].get();
    if (rejected.empty() && program_log[0] != '\0') {
      rejected = bpf_program__name(program);
      log = program_log;
    }
  }
  if (rejected.empty()) {
    if (state.options.verbose != nullptr) {
      fmt::print(state.options.verbose,
                 "{}: loading each program alone to find the one the "
                 "kernel refused\n", ProgramName());
    }
    std::optional<RejectedProgram> found =
        FindRejectedProgram(state.source, AutoloadedPrograms(state));
    if (found) {
      rejected = found->function;
      error_number = found->error_number;
    }
  }

  if (rejected.empty()) {
    if (error_number == EPERM || error_number == EACCES) {
      return PrivilegeError(state.path, "load", error_number, MissingBpfCapabilities());
    }
    Error error;
    error.message = fmt::format("cannot load `{}`: {}", state.path,
                                ErrnoText(error_number));
    error.error_number = error_number;
    AddLibbpfWarnings(error);
    error.help = "run with --verbose for libbpf's messages";
    return error;
  }

  const ProgramInfo* info = state.metadata.FindProgram(rejected);
  if (info != nullptr && !info->fallback.empty() &&
      FallsBackOnLoadError(error_number)) {
    state.new_rejection = {rejected, Rejection{"load", error_number}};
  }
  // A verifier log names the cause, unless the fallback makes the error
  // moot.
  if (log != nullptr && !state.new_rejection) {
    // libbpf 1.1 prints the log itself only when it owns the log buffer, so
    // --verbose shows the whole log here; the error shows its end.
    if (state.options.verbose != nullptr) {
      fmt::print(state.options.verbose, "{}: the verifier log of program `{}`:\n{}\n", ProgramName(),
                 rejected, log);
    }
    std::optional<InstructionSource> failing_source;
    if (std::optional<uint32_t> instruction = ParseVerifierLog(log).instruction) {
      failing_source = FindInstructionSource(state.source, rejected, *instruction);
    }
    return NoteFallback(
        state, rejected,
        VerifierError(state.path, state.metadata, rejected, log, failing_source));
  }
  return NoteFallback(
      state, rejected,
      ProgramRejectedError(state.metadata, rejected, SectionOf(state, rejected),
                           error_number));
}

}  // namespace nubpf::runtime
