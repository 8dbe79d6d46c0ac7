// Attaches one loaded program as its `attach` metadata line describes, and
// runs the `begin` and `end` blocks, which attach to nothing.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "runtime/error.h"
#include "runtime/metadata.h"

struct bpf_link;
struct bpf_program;

namespace nubpf::runtime {

// Returns why the type of `program` cannot serve `attach.kind`, such as a
// `profile` program that is not a perf event program, or nullopt when it
// can. Programs attached by section name take any type.
std::optional<std::string> CheckProgramType(const bpf_program* program,
                                            const AttachInfo& attach);

// Attaches `program`, whose metadata is `info`, and returns its links: one
// for most kinds, one per online CPU for a profile. `begin` and `end`
// blocks get no link. A uprobe fires only in the process `uprobe_pid`, or
// in every process when it is -1. On failure, destroys the links it made;
// the error names the program, its probe's place and the cause. Writes what
// it attached to `verbose` when that is not null.
ErrorOr<std::vector<bpf_link*>> AttachProgram(const Metadata& metadata,
                                              bpf_program* program,
                                              const ProgramInfo& info, int uprobe_pid,
                                              std::FILE* verbose);

// Runs the `begin` or `end` block `program` once with BPF_PROG_TEST_RUN,
// on the calling CPU. Fails when the call fails or the program returns
// anything but 0.
std::optional<Error> RunLoaderBlock(const Metadata& metadata,
                                    bpf_program* program, AttachKind kind);

}  // namespace nubpf::runtime
