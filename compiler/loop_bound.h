// Trip counts of the loops a probe may contain, worked out at compile time.
// The verifier walks every iteration of a loop, so the checker accepts a
// loop only when it can count them and the count is small.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "frontend/ast.h"

namespace nubpf::compiler {

// The maximum number of times a loop nest may run its bodies, nested
// loops multiplied. The verifier walks every iteration and stops at 1M
// instructions per program. Measured with `bpftool prog load` on Linux
// 6.18 at `-O 0`, a body that adds to a `mut` walks 12 instructions per
// iteration, and one `if` with an `emit` walks about 80. Four `if`
// statements with `emit`, `count` and context reads walk about 310. The
// limit leaves room for bodies of about 1000 walked instructions.
inline constexpr uint64_t kMaxLoopIterations = 1024;

// The estimated instructions the verifier may walk in string commands
// inside loops, per probe: half its budget, which leaves the rest for the
// other statements. A string command is a loop over the string's bytes
// in the backend.
inline constexpr uint64_t kStringWalkBudget = 500000;

// The estimated instructions walked per byte of capacity by one string
// command. Measured on Linux 6.18 with 256-byte strings: `str length`
// walks about 17 per byte, `str contains` and `str ends-with` about 36,
// `into int` about 40, `str downcase` about 70 at `-O 0`. A command whose
// result decides a `mut` store walks again for each value the `mut` may
// hold: `if ($s | str contains "x") { $n += 1 }` in a loop of 11 loads no
// more (about 370 per byte). The estimate covers that case.
inline constexpr uint64_t kStringWalkPerByte = 200;

// The estimated instructions walked by one `into string` of an int,
// measured at about 13,400 at `-O 2` on Linux 6.18.
inline constexpr uint64_t kIntToStringWalk = 16000;

// The back-edge jumps on one path that the verifier follows, as the
// kernel's BPF_COMPLEXITY_LIMIT_JMP_SEQ sets it. Each byte a string command
// scans is one jump, so the scans of a probe must stay below it.
inline constexpr uint64_t kMaxJumpSequence = 8192;

// The jumps a probe may take by the checker's estimate. The estimate counts
// branches that LLVM turns into selects too, but not the checks around map
// and ring buffer calls, so the budget stays below the limit. With it, a
// 1024-iteration body with four `if`s loads, as measured on Linux 6.18, and
// one with five is rejected, as the verifier rejects it.
inline constexpr uint64_t kJumpBudget = 7000;

// The jumps of one `into string` of an int: 21 digit positions, each a loop
// over 20 powers of ten.
inline constexpr uint64_t kIntToStringJumps = 21 * 20;

// Counts how often a loop body runs when its counter starts at `start`,
// changes by `step` after each run, and the loop continues while
// `counter OP limit` is true. Returns nullopt when the test stays true
// forever or until the counter overflows a 64-bit int, which Nushell reports as an
// error. `op` is one of `<`, `<=`, `>`, `>=`, `!=`.
//
// Example: start 0, step 3, `< 10` runs for 0, 3, 6 and 9: 4 times, and
// the counter ends at 12.
std::optional<uint64_t> CountTrips(int64_t start, int64_t step,
                                   frontend::BinaryOp op, int64_t limit);

// The shape of a `while` or `loop` that the checker can bound:
//
//   mut i = 0                     # a value known at compile time
//   while $i < 10 {               # `$i OP C` with a constant C
//     ...                         # no `continue` before the step
//     $i += 2                     # the only change to `$i`
//     ...
//   }
//
// For `loop`, the first statement is `if $i >= 10 { break }`, which is the
// same loop with the test negated.
struct CounterLoop {
  std::string counter;                  // the variable, without `$`
  frontend::BinaryOp op;                // the test that keeps the loop going
  const frontend::Expr* limit = nullptr;
  const frontend::Expr* step = nullptr;  // `k` in `$i += k`
  bool step_subtracts = false;           // `$i -= k`
};

// Matches `while CONDITION { body }` against the shape above. On failure,
// returns nullopt and sets `reason` to what does not match.
std::optional<CounterLoop> MatchWhileLoop(const frontend::Expr& condition,
                                          const frontend::Block& body,
                                          std::string* reason);

// Matches `loop { body }` whose first statement is `if COND { break }`.
std::optional<CounterLoop> MatchBreakingLoop(const frontend::Block& body,
                                             std::string* reason);

// Calls `visit` with the name of every variable assigned or declared
// anywhere in `block`, nested blocks and loops included.
void ForEachAssignedName(const frontend::Block& block,
                         const std::function<void(const std::string&)>& visit);

}  // namespace nubpf::compiler
