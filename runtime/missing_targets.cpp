#include "runtime/missing_targets.h"

#include <fmt/core.h>

#include <string>
#include <vector>

#include "runtime/load_errors.h"
#include "runtime/probe_targets.h"

namespace nubpf::runtime {
namespace {

constexpr const char* kAllowMissingHelp =
    "or run with --allow-missing to skip the probes whose target is missing "
    "here and attach the others";

struct SkippedProbe {
  bpf_program* program = nullptr;
  std::string function;
  MissingTarget target;
};

// True for the programs that attach to something: not `begin` and `end`.
bool IsProbe(const ProgramInfo* info) {
  if (info == nullptr) return true;
  return info->attach.kind != AttachKind::kBegin && info->attach.kind != AttachKind::kEnd;
}

std::string Describe(const LoadState& state, const SkippedProbe& skipped) {
  return fmt::format("{}: {}", ProgramDescription(state.metadata, skipped.function),
                     skipped.target.reason);
}

}  // namespace

std::optional<Error> SkipMissingTargets(LoadState& state) {
  KernelTargets kernel(KernelTargets::Paths{});
  std::vector<SkippedProbe> missing;
  size_t probes_left = 0;
  bpf_program* program;
  bpf_object__for_each_program(program, state.object) {
    if (!bpf_program__autoload(program)) continue;
    const ProgramInfo* info = state.metadata.FindProgram(bpf_program__name(program));
    std::optional<MissingTarget> target = kernel.FindMissing(
        bpf_program__section_name(program), info == nullptr ? AttachInfo{} : info->attach);
    if (target) {
      missing.push_back({program, bpf_program__name(program), std::move(*target)});
    } else if (IsProbe(info)) {
      ++probes_left;
    }
  }
  if (missing.empty()) return std::nullopt;

  if (!state.options.allow_missing) {
    Error error;
    error.message = fmt::format("cannot attach {}", Describe(state, missing.front()));
    for (size_t i = 1; i < missing.size(); ++i) {
      error.details.push_back(fmt::format("also missing: {}", Describe(state, missing[i])));
    }
    error.help = fmt::format("{}; {}", missing.front().target.help, kAllowMissingHelp);
    return error;
  }

  if (probes_left == 0) {
    Error error;
    error.message = fmt::format(
        "no probe of `{}` can attach: the target of every probe is missing on this "
        "machine",
        state.path);
    for (const SkippedProbe& skipped : missing) {
      error.details.push_back(Describe(state, skipped));
    }
    error.help = missing.front().target.help;
    return error;
  }

  // The pipeline runs again after a fallback, and finds the same targets
  // missing; only its first run, which has no rejections yet, warns.
  for (const SkippedProbe& skipped : missing) {
    bpf_program__set_autoload(skipped.program, false);
    if (state.rejections.empty()) {
      fmt::print(state.options.warnings, "{}: warning: skipped {}\n", ProgramName(),
                 Describe(state, skipped));
    }
  }
  return std::nullopt;
}

}  // namespace nubpf::runtime
