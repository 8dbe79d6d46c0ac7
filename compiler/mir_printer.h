// The textual MIR dump of `nubpfc --emit mir`, stable for golden tests.
#pragma once

#include <ostream>

#include "compiler/mir.h"

namespace nubpf::mir {

void PrintModule(const Module& module, std::ostream& out);

}  // namespace nubpf::mir
