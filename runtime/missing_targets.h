// The load step that finds the probes whose target this kernel or machine
// lacks, before loading: with --allow-missing it leaves them out with a
// warning, and without it stops with an error that names the target.
#pragma once

#include <optional>

#include "runtime/error.h"
#include "runtime/load_state.h"

namespace nubpf::runtime {

// Checks the target of every program that would load, as KernelTargets
// does. With `state.options.allow_missing`, stops each program with a
// missing target from loading and warns about it on
// `state.options.warnings`, once per LoadAndAttach(); fails when that
// leaves no probe to attach. Without it, fails on the first missing
// target and lists the others in the details.
std::optional<Error> SkipMissingTargets(LoadState& state);

}  // namespace nubpf::runtime
