// CO-RE relocations that change nothing, which the loader drops before
// libbpf opens an object, because libbpf 1.1 reads and parses the running
// kernel's whole BTF for any object that has a CO-RE relocation.
#pragma once

#include <string>

namespace nubpf::runtime {

// Clears the CO-RE relocation section of the object in `bytes` when every
// relocation in it is a `local_type_id` whose `ld_imm64` instruction
// already contains the type id, as nubpfc writes them for the records that
// `emit` and `print` send. Returns true when it cleared them. Leaves `bytes` as they
// are, and returns false, for an object with any other relocation, with
// none, or with a section it cannot read (libbpf then reports the damage).
bool DropNoOpTypeIdRelocations(std::string& bytes);

}  // namespace nubpf::runtime
