#include "runtime/attach_metadata.h"

#include <fmt/core.h>

#include <map>

namespace nubpf::runtime {
namespace {

constexpr AttachKind kAttachKinds[] = {
    AttachKind::kSection, AttachKind::kUprobe,   AttachKind::kUretprobe,
    AttachKind::kProfile, AttachKind::kInterval, AttachKind::kBegin,
    AttachKind::kEnd,
};

std::optional<AttachKind> ParseAttachKind(std::string_view text) {
  for (AttachKind kind : kAttachKinds) {
    if (text == AttachKindName(kind)) {
      return kind;
    }
  }
  return std::nullopt;
}

// The values after the line's kind: FUNCTION, KIND and the kind's own.
size_t AttachValueCount(AttachKind kind) {
  switch (kind) {
    case AttachKind::kSection:
    case AttachKind::kBegin:
    case AttachKind::kEnd:
      return 2;
    case AttachKind::kUprobe:
    case AttachKind::kUretprobe:
      return 6;  // PATH SYMBOL OFFSET SEMAPHORE
    case AttachKind::kProfile:
    case AttachKind::kInterval:
      return 4;  // FREQUENCY PERIOD-NS
  }
  return 0;
}

// PATH SYMBOL OFFSET SEMAPHORE, where SYMBOL `-` means that OFFSET is a
// file offset.
std::optional<Error> ParseUprobeValues(const MetadataLine& line,
                                       AttachInfo* attach) {
  std::string_view function = line.values[1];
  attach->path = std::string(line.values[3]);
  if (attach->path.empty()) {
    return LineError(
        line.number,
        fmt::format("program `{}` has an empty uprobe PATH", function));
  }
  if (line.values[4] != "-") {
    attach->symbol = std::string(line.values[4]);
  }

  ErrorOr<uint64_t> offset = ParseNumber64(line, 5, "uprobe OFFSET");
  if (!offset) {
    return offset.TakeError();
  }
  ErrorOr<uint64_t> semaphore = ParseNumber64(line, 6, "uprobe SEMAPHORE");
  if (!semaphore) {
    return semaphore.TakeError();
  }
  attach->offset = *offset;
  attach->semaphore = *semaphore;

  // File offset 0 is the ELF header, never code.
  if (attach->symbol.empty() && attach->offset == 0) {
    return LineError(line.number,
                     fmt::format("the uprobe of program `{}` has neither a "
                                 "SYMBOL nor a file OFFSET",
                                 function));
  }
  return std::nullopt;
}

// FREQUENCY PERIOD-NS, exactly one of them above 0.
std::optional<Error> ParseTimerValues(const MetadataLine& line,
                                      AttachInfo* attach) {
  ErrorOr<uint64_t> frequency = ParseNumber64(line, 3, "FREQUENCY");
  if (!frequency) {
    return frequency.TakeError();
  }
  ErrorOr<uint64_t> period = ParseNumber64(line, 4, "PERIOD-NS");
  if (!period) {
    return period.TakeError();
  }
  if ((*frequency == 0) == (*period == 0)) {
    return LineError(line.number,
                     fmt::format("program `{}` needs exactly one of FREQUENCY "
                                 "and PERIOD-NS above 0, found {} and {}",
                                 line.values[1], *frequency, *period));
  }
  attach->frequency = *frequency;
  attach->period_ns = *period;
  return std::nullopt;
}

Error UnknownProgramError(uint32_t line_number, std::string_view kind,
                          std::string_view function) {
  return LineError(line_number,
                   fmt::format("`{}` line for program `{}`, which has no "
                               "`program` line",
                               kind, function));
}

}  // namespace

const char* AttachKindName(AttachKind kind) {
  switch (kind) {
    case AttachKind::kSection:
      return "section";
    case AttachKind::kUprobe:
      return "uprobe";
    case AttachKind::kUretprobe:
      return "uretprobe";
    case AttachKind::kProfile:
      return "profile";
    case AttachKind::kInterval:
      return "interval";
    case AttachKind::kBegin:
      return "begin";
    case AttachKind::kEnd:
      return "end";
  }
  return "?";
}

std::optional<Error> AttachLines::ParseAttach(const MetadataLine& line) {
  if (line.values.size() < 3) {
    return LineError(line.number,
                     "an `attach` line needs at least FUNCTION and KIND "
                     "after its kind");
  }
  std::optional<AttachKind> kind = ParseAttachKind(line.values[2]);
  if (!kind) {
    return LineError(line.number,
                     fmt::format("program `{}` has unknown attach kind `{}`; "
                                 "expected one of section uprobe uretprobe "
                                 "profile interval begin end",
                                 line.values[1], line.values[2]));
  }
  if (auto error = CheckValueCount(line, AttachValueCount(*kind))) {
    return error;
  }

  PendingAttach pending;
  pending.line_number = line.number;
  pending.function = std::string(line.values[1]);
  pending.attach.kind = *kind;
  switch (*kind) {
    case AttachKind::kSection:
    case AttachKind::kBegin:
    case AttachKind::kEnd:
      break;
    case AttachKind::kUprobe:
    case AttachKind::kUretprobe:
      if (auto error = ParseUprobeValues(line, &pending.attach)) {
        return error;
      }
      break;
    case AttachKind::kProfile:
    case AttachKind::kInterval:
      if (auto error = ParseTimerValues(line, &pending.attach)) {
        return error;
      }
      break;
  }
  attaches_.push_back(std::move(pending));
  return std::nullopt;
}

std::optional<Error> AttachLines::ParseFallback(const MetadataLine& line) {
  if (auto error = CheckValueCount(line, 2)) {
    return error;
  }
  fallbacks_.push_back(PendingFallback{line.number, std::string(line.values[1]),
                                       std::string(line.values[2])});
  return std::nullopt;
}

std::optional<Error> AttachLines::ApplyTo(Metadata& metadata) const {
  if (auto error = ApplyAttaches(metadata)) {
    return error;
  }
  return ApplyFallbacks(metadata);
}

std::optional<Error> AttachLines::ApplyAttaches(Metadata& metadata) const {
  std::map<std::string, uint32_t> attach_lines;
  for (const PendingAttach& pending : attaches_) {
    ProgramInfo* program = metadata.FindProgram(pending.function);
    if (program == nullptr) {
      return UnknownProgramError(pending.line_number, "attach",
                                 pending.function);
    }
    auto [previous, inserted] =
        attach_lines.emplace(pending.function, pending.line_number);
    if (!inserted) {
      return LineError(pending.line_number,
                       fmt::format("program `{}` already has an `attach` "
                                   "line at line {}",
                                   pending.function, previous->second));
    }
    program->attach = pending.attach;
  }

  // Version 1 had no `attach` lines, so every program keeps the default
  // AttachInfo and attaches by its section name.
  if (metadata.version < 2) {
    return std::nullopt;
  }
  for (const ProgramInfo& program : metadata.programs) {
    if (attach_lines.count(program.function) == 0) {
      return MetadataError(fmt::format(
          "invalid `.nubpf` metadata: program `{}` has no `attach` line, "
          "which version {} gives every program",
          program.function, metadata.version));
    }
  }
  return std::nullopt;
}

std::optional<Error> AttachLines::ApplyFallbacks(Metadata& metadata) const {
  for (const PendingFallback& pending : fallbacks_) {
    ProgramInfo* program = metadata.FindProgram(pending.function);
    if (program == nullptr) {
      return UnknownProgramError(pending.line_number, "fallback",
                                 pending.function);
    }
    ProgramInfo* fallback = metadata.FindProgram(pending.fallback);
    if (fallback == nullptr) {
      return UnknownProgramError(pending.line_number, "fallback",
                                 pending.fallback);
    }
    if (program == fallback) {
      return LineError(
          pending.line_number,
          fmt::format("program `{}` is its own fallback", pending.function));
    }
    if (program->attach.kind != AttachKind::kSection ||
        fallback->attach.kind != AttachKind::kSection) {
      return LineError(
          pending.line_number,
          fmt::format("a fallback pairs two programs attached "
                      "by `section`, but `{}` is `{}` and `{}` "
                      "is `{}`",
                      program->function, AttachKindName(program->attach.kind),
                      fallback->function,
                      AttachKindName(fallback->attach.kind)));
    }

    // One fallback per program and no chains, so that the loader decides
    // each pair on its own.
    bool already_paired =
        !program->fallback.empty() || !program->fallback_for.empty() ||
        !fallback->fallback.empty() || !fallback->fallback_for.empty();
    if (already_paired) {
      return LineError(pending.line_number,
                       fmt::format("programs `{}` and `{}` may each be in "
                                   "one fallback pair only",
                                   program->function, fallback->function));
    }
    program->fallback = fallback->function;
    fallback->fallback_for = program->function;
  }
  return std::nullopt;
}

}  // namespace nubpf::runtime
