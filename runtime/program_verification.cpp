#include "runtime/program_verification.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fmt/core.h>

#include <cstddef>
#include <cstring>

#include "runtime/record_format.h"
#include "runtime/table_layout.h"

namespace nubpf::runtime {
namespace {

// The kernel fills bpf_prog_info only up to the size of its own struct
// and returns that size, so a shorter one means it has no verified_insns.
constexpr uint32_t kInfoSizeWithVerifiedInsns =
    offsetof(bpf_prog_info, verified_insns) + sizeof(bpf_prog_info::verified_insns);

Record ToRecord(const ProgramVerification& program) {
  Record record = {
      {"program", FieldValue{program.function}},
      {"probe", FieldValue{program.probe}},
      {"verified_insns", NullValue{}},
      {"xlated_bytes", FieldValue{uint64_t{program.translated_bytes}}},
      {"jited_bytes", FieldValue{uint64_t{program.jited_bytes}}},
  };
  if (program.verified_instructions) {
    record[2].value = FieldValue{uint64_t{*program.verified_instructions}};
  }
  return record;
}

void PrintTable(const std::vector<ProgramVerification>& programs, std::FILE* out) {
  TableLayout table;
  table.AddColumn("program", /*right_aligned=*/false);
  table.AddColumn("probe", /*right_aligned=*/false);
  table.AddColumn("verified insns", /*right_aligned=*/true);
  table.AddColumn("xlated bytes", /*right_aligned=*/true);
  table.AddColumn("jited bytes", /*right_aligned=*/true);
  for (const ProgramVerification& program : programs) {
    std::string verified = program.verified_instructions
                               ? std::to_string(*program.verified_instructions)
                               : "-";
    table.AddRow({{program.function},
                  {program.probe},
                  {verified},
                  {std::to_string(program.translated_bytes)},
                  {std::to_string(program.jited_bytes)}});
  }
  for (const std::string& line : table.Lines()) {
    fmt::print(out, "{}\n", line);
  }
}

}  // namespace

ErrorOr<std::vector<ProgramVerification>> ReadProgramVerifications(const Metadata& metadata,
                                                                   bpf_object* object) {
  std::vector<ProgramVerification> programs;
  bpf_program* program;
  bpf_object__for_each_program(program, object) {
    if (!bpf_program__autoload(program)) continue;

    bpf_prog_info info{};
    uint32_t info_size = sizeof(info);
    if (bpf_obj_get_info_by_fd(bpf_program__fd(program), &info, &info_size) != 0) {
      Error error;
      error.message = fmt::format("cannot read the kernel's information on program `{}`: {}",
                                  bpf_program__name(program), std::strerror(errno));
      return error;
    }

    ProgramVerification verification;
    verification.function = bpf_program__name(program);
    const ProgramInfo* program_info = metadata.FindProgram(verification.function);
    verification.probe = program_info != nullptr ? program_info->target
                                                 : bpf_program__section_name(program);
    if (info_size >= kInfoSizeWithVerifiedInsns) {
      verification.verified_instructions = info.verified_insns;
    }
    verification.translated_bytes = info.xlated_prog_len;
    verification.jited_bytes = info.jited_prog_len;
    programs.push_back(std::move(verification));
  }
  return programs;
}

void PrintProgramVerifications(const std::vector<ProgramVerification>& programs,
                               OutputFormat format, std::FILE* out) {
  switch (format) {
    case OutputFormat::kTable:
      PrintTable(programs, out);
      return;
    case OutputFormat::kJson:
    case OutputFormat::kNuon:
      for (const ProgramVerification& program : programs) {
        fmt::print(out, "{}\n", FormatRecordLine(format, ToRecord(program)));
      }
      return;
    case OutputFormat::kCsv:
      if (programs.empty()) return;
      fmt::print(out, "{}\n", FormatCsvHeader(ToRecord(programs.front())));
      for (const ProgramVerification& program : programs) {
        fmt::print(out, "{}\n", FormatCsvRow(ToRecord(program)));
      }
      return;
  }
}

}  // namespace nubpf::runtime
