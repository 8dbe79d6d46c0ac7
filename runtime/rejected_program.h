// Finds the program that made loading an object fail when the kernel gave
// no verifier log to name it, as when it rejects a whole program type
// (fentry on some kernels) with EPERM before verifying anything.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runtime/object_file.h"

namespace nubpf::runtime {

struct RejectedProgram {
  std::string function;
  int error_number = 0;
};

// Opens the object of `source` anew for each attempt: loads its maps alone,
// then each of `functions` alone with the maps. Returns the first function
// whose load fails, with its errno. Returns nullopt when the maps alone
// fail, or when every function loads alone, because then no single program
// is to blame. Leaves libbpf's kept warnings as the rejected program's
// attempt left them, or as they were before the attempts when none is
// found.
std::optional<RejectedProgram> FindRejectedProgram(
    const ObjectSource& source, const std::vector<std::string>& functions);

}  // namespace nubpf::runtime
