// Reads the two facts an error needs out of a kernel verifier log: the
// instruction the verifier stopped at and the reason it gave.
//
// A log at level 1 ends like this, with the state lines, source comments
// and counts that surround the instructions:
//
//     14: (2f) r1 *= r9
//     R9 !read_ok
//     processed 15 insns (limit 1000000) max_states_per_insn 0 ...
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nubpf::runtime {

struct VerifierRejection {
  // The index of the last instruction the log shows (`14` above), counted
  // from the program's first instruction; nullopt when the log shows none.
  std::optional<uint32_t> instruction;
  // The lines after that instruction, joined with `; `, without the counts
  // (`R9 !read_ok` above). Without an instruction line, the last line that
  // is not a count. Empty for an empty log.
  std::string reason;
};

VerifierRejection ParseVerifierLog(std::string_view log);

}  // namespace nubpf::runtime
