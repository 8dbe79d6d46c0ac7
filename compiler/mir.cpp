#include "compiler/mir.h"

namespace nubpf::mir {

bool HasNoResult(Opcode opcode) {
  return opcode == Opcode::kEmit || opcode == Opcode::kCount ||
         opcode == Opcode::kLocalStore;
}

}  // namespace nubpf::mir
