// The passes that rewrite MIR between the checker and the backend. Each
// keeps the program's meaning, including the backend's rules for integer
// operators: results wrap at the type's width, division and modulo by 0
// give 0, and shift amounts count modulo the width.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/mir.h"

namespace nubpf::mir {

// Runs every pass on every function, in the order below.
void OptimizeModule(Module* module);

// Returns what is wrong with `function`, or nothing when the backend can
// lower it: every target and local exists, only `emit` and `count` use
// stacks, every value is defined before its uses in reverse post-order, and
// branches test bools (verify_mir.cpp).
// A failure is a compiler bug.
std::optional<std::string> VerifyFunction(const Function& function);

// VerifyFunction's checks, and that each CO-RE instruction of `function`
// names kernel types, members and enumerators that `module` describes
// (verify_kernel_access.cpp).
std::optional<std::string> VerifyFunction(const Module& module, const Function& function);

// Replaces operators on constants with their results, reads of a local
// whose value is known with that value (the constant propagation through
// `mut` variables), and branches on a constant condition with jumps.
// Returns true when anything changed.
bool FoldConstants(Function* function);

// Reads the same context field or helper value once per program run: the
// first read moves to the start of the entry block and later reads use its
// value. A tracepoint's record does not change while the program runs, and
// neither do the pid, tid, uid, gid, CPU and timestamp of one event.
// Reads inside loops stay where they are: a value that lives across the
// iterations lets the verifier learn it from a comparison in one iteration,
// and the states it then keeps apart grow with the square of the trip count.
// String and stack reads stay too: the backend reads them where they are
// used, so a stack taken in a loop is read in each iteration.
bool HoistReads(Function* function);

// Removes blocks no branch reaches, instructions whose values nothing uses,
// stores to locals that nothing loads, and then the unused locals.
bool EliminateDeadCode(Function* function);

// Returns `lhs op rhs` for operands of `type`, as the backend computes it;
// the checker folds literals with it too (fold_constants.cpp).
int64_t EvaluateBinary(BinaryOp op, const Type& type, int64_t lhs, int64_t rhs);

// Helpers shared by the passes (mir_passes.cpp).

// Replaces each use of a value `v` that has `replacement[v] != kNoValue`,
// in operands and branch conditions.
void ReplaceUses(Function* function, const std::vector<ValueId>& replacement);

// The successors of a block, from its terminator.
std::vector<BlockId> Successors(const Terminator& terminator);

// The blocks that the entry reaches, in reverse post-order: each block
// comes after the blocks that dominate it, so a value's definition comes
// before its uses even when the checker numbered a join block first.
std::vector<BlockId> ReversePostOrder(const Function& function);

// For each block, true when it is part of a cycle of the control flow
// graph, that is, inside a loop.
std::vector<bool> BlocksInLoops(const Function& function);

// True for opcodes whose only effect is their result, so that an unused
// one can go.
bool IsPure(Opcode opcode);

}  // namespace nubpf::mir
