// Loops, `break`, `continue` and `return`.
//
// The verifier walks every iteration of a loop, so each loop needs a trip
// count known at compile time. `for x in 0..<4 { body }` becomes a hidden
// local for the counter and three blocks:
//
//   bb0:  store local#0 0; jump bb1
//   bb1:  %1 = load local#0; %2 = lt %1, 4; branch %2, bb2, bb4   # header
//   bb2:  body; jump bb3
//   bb3:  %3 = load local#0; %4 = add %3, 1; store local#0 %4     # latch
//         jump bb1
//   bb4:  the statements after the loop
//
// `continue` jumps to the latch and `break` to the exit.

#include <string>

#include "compiler/loop_bound.h"
#include "compiler/probe_checker.h"

namespace nubpf::compiler {

using frontend::BinaryOp;
using frontend::ExprKind;
using mir::Opcode;
using mir::Type;

static constexpr char kBoundHelp[] =
    "count with `for i in 0..<N`, or with `mut i = 0` before `while $i < N` "
    "and one `$i += 1` in the body";

void ProbeChecker::CheckFor(const frontend::ForStmt& loop) {
  if (loop.iterable->kind == ExprKind::kRange) {
    CheckRangeLoop(loop, static_cast<const frontend::RangeExpr&>(*loop.iterable));
    return;
  }
  // Lists exist only while checking, so any list value has a known length:
  // a literal, a variable bound to one, or a cell path into a record.
  std::optional<CheckedValue> iterable = CheckExpr(*loop.iterable);
  if (!iterable || RejectStack(*iterable, "the list of a `for` loop")) return;
  if (iterable->shape == CheckedValue::Shape::kList) {
    CheckListLoop(loop, iterable->elements);
    return;
  }
  diagnostics_.Error(loop.iterable->span,
                     "`for` in a probe needs a range or a list, because the "
                     "verifier rejects loops it cannot bound, but this is " +
                         iterable->Described(),
                     "write a range with constant bounds, such as "
                     "`for i in 0..<10`, or a list such as `for x in [1 2 3]`");
}

// Returns the integer value of a range bound or step, which must be known
// at compile time.
std::optional<int64_t> ProbeChecker::ConstantInt(const frontend::Expr& expr,
                                                 const std::string& what) {
  auto is_constant = [&](const std::string& name) { return IsConstantName(name); };
  if (!IsCompileTimeConstant(expr, is_constant)) {
    diagnostics_.Error(expr.span,
                       "the " + what + " of this range is not known at compile "
                       "time, so the verifier could not bound the loop",
                       "use literals, `const` values and operators on them, "
                       "such as `0..<10`");
    return std::nullopt;
  }
  std::optional<CheckedValue> value = CheckExpr(expr);
  if (!value) return std::nullopt;
  if (!value->is_literal) {
    diagnostics_.Error(expr.span,
                       "the " + what + " of a range must be an int, but this is " +
                           value->Described(),
                       "write an integer, such as `0..<10`");
    return std::nullopt;
  }
  return value->literal;
}

// `for $x in START..END`, `START..<END` and `START..NEXT..END`. Without a
// step, the range counts down when END is below START, as in Nushell:
// `5..1` is 5, 4, 3, 2, 1.
void ProbeChecker::CheckRangeLoop(const frontend::ForStmt& loop,
                                  const frontend::RangeExpr& range) {
  if (!range.end) {
    diagnostics_.Error(range.span,
                       "a range without an end never stops, and the verifier "
                       "rejects loops it cannot bound",
                       "give the range an end, such as `0..<10`");
    return;
  }
  std::optional<int64_t> start = ConstantInt(*range.start, "start");
  std::optional<int64_t> next;
  if (range.next) next = ConstantInt(*range.next, "step");
  std::optional<int64_t> end = ConstantInt(*range.end, "end");
  if (!start || !end || (range.next && !next)) return;

  // Nushell rejects a step of 0, and a step that moves away from the end
  // (`1..2..0`, `5..4..5`), with "can't convert range to countable values".
  int64_t step = *end >= *start ? 1 : -1;
  if (next) {
    step = static_cast<int64_t>(static_cast<uint64_t>(*next) -
                                static_cast<uint64_t>(*start));
    bool away = step > 0 ? *end < *start : *end >= *start;
    if (step == 0) {
      diagnostics_.Error(range.span,
                         "this range has a step of 0, which Nushell rejects",
                         "change the second value, which sets the step");
      return;
    }
    if (away || (*next > *start) != (step > 0)) {
      diagnostics_.Error(range.span,
                         "this range's step " + std::to_string(step) +
                             " leads away from its end, which Nushell rejects",
                         "change the second value, which sets the step");
      return;
    }
  }
  BinaryOp test = step > 0 ? (range.inclusive ? BinaryOp::kLessEqual : BinaryOp::kLess)
                           : (range.inclusive ? BinaryOp::kGreaterEqual : BinaryOp::kGreater);
  std::optional<uint64_t> trips = CountTrips(*start, step, test, *end);
  if (!trips) {
    diagnostics_.Error(range.span,
                       "this range is not supported in a probe, because its "
                       "counter would overflow a 64-bit int after the last value",
                       "end the range further from the int limits");
    return;
  }

  // The counter lives in a hidden local; the header tests it, the latch
  // steps it. Loops one after the other share their counter, because at
  // `-O 0` every local keeps a stack slot of its own.
  size_t depth = active_range_loops_++;
  if (depth == counter_locals_.size()) {
    counter_locals_.push_back(static_cast<int32_t>(function_->locals.size()));
    function_->locals.push_back(Type::Int(64, true));
  }
  int32_t counter = counter_locals_[depth];
  StoreCounter(counter, ConstantI64(*start, range.start->span), loop.variable_span);

  mir::BlockId header = NewBlock();
  mir::BlockId body = NewBlock();
  mir::BlockId latch = NewBlock();
  mir::BlockId exit = NewBlock();
  JumpTo(header);

  current_block_ = header;
  mir::ValueId value = LoadCounter(counter, loop.variable_span);
  mir::Instruction compare;
  compare.opcode = Opcode::kBinary;
  compare.binary_op = test == BinaryOp::kLess        ? mir::BinaryOp::kLess
                      : test == BinaryOp::kLessEqual ? mir::BinaryOp::kLessEqual
                      : test == BinaryOp::kGreater   ? mir::BinaryOp::kGreater
                                                     : mir::BinaryOp::kGreaterEqual;
  compare.type = Type::Bool();
  compare.operands = {value, ConstantI64(*end, range.end->span)};
  compare.span = range.span;
  Current().terminator = {mir::TerminatorKind::kBranch, Append(std::move(compare)),
                          body, exit};

  // `$x` reads the counter: a local that the body may not store to.
  current_block_ = body;
  if (EnterLoop(*trips, loop.span, latch, exit)) {
    CheckedValue variable;
    variable.type = Type::Int(64, true);
    variable.local = counter;
    variable.is_loop_variable = true;
    variable.span = loop.variable_span;
    scopes_.push_back({{loop.variable, variable}});
    CheckLoopBody(loop.body);
    scopes_.pop_back();
    LeaveLoop();
  }
  JumpTo(latch);

  current_block_ = latch;
  mir::Instruction add;
  add.opcode = Opcode::kBinary;
  add.binary_op = mir::BinaryOp::kAdd;
  add.type = Type::Int(64, true);
  add.operands = {LoadCounter(counter, loop.variable_span),
                  ConstantI64(step, range.span)};
  add.span = range.span;
  StoreCounter(counter, Append(std::move(add)), loop.variable_span);
  JumpTo(header);
  current_block_ = exit;
  --active_range_loops_;
}

// `for $x in [a b c]` checks the body once per element, with `$x` bound to
// that element, instead of building a MIR loop. The list's length is fixed
// in the source, and unrolling keeps elements of any shape working: strings
// and records have no runtime value that a counter could index.
// Nushell evaluates the whole list before the first iteration, and so
// does CheckFor, which passes the list's checked elements.
void ProbeChecker::CheckListLoop(const frontend::ForStmt& loop,
                                 const std::vector<CheckedValue>& elements) {
  mir::BlockId exit = NewBlock();
  if (!EnterLoop(elements.size(), loop.span, exit, exit, /*unrolled=*/true)) {
    return;
  }
  size_t errors_before = diagnostics_.error_count();
  for (const CheckedValue& element : elements) {
    // An error in one copy of the body would repeat in every other copy.
    if (diagnostics_.error_count() > errors_before) break;
    mir::BlockId next = NewBlock();
    loops_.back().continue_target = next;
    CheckedValue variable = element;
    variable.name = loop.variable;
    scopes_.push_back({{loop.variable, variable}});
    CheckLoopBody(loop.body);
    scopes_.pop_back();
    JumpTo(next);
    current_block_ = next;
  }
  LeaveLoop();
  JumpTo(exit);
  current_block_ = exit;
}

// Returns the trip count of a `while` or `loop` of the bounded shape,
// from the counter's value when the loop starts.
std::optional<uint64_t> ProbeChecker::BoundCounterLoop(const CounterLoop& loop,
                                                       std::string* reason) {
  std::optional<int64_t> start = KnownLocalValue(loop.counter);
  if (!start) {
    *reason = "the value of `$" + loop.counter +
              "` when the loop starts is not known at compile time: it must "
              "be a `mut` int set to a constant outside any branch or loop";
    return std::nullopt;
  }
  auto is_constant = [&](const std::string& name) { return IsConstantName(name); };
  if (!IsCompileTimeConstant(*loop.limit, is_constant)) {
    *reason = "the value that `$" + loop.counter +
              "` is compared with is not known at compile time";
    return std::nullopt;
  }
  if (!IsCompileTimeConstant(*loop.step, is_constant)) {
    *reason = "the step of `$" + loop.counter + "` is not known at compile time";
    return std::nullopt;
  }

  // Constant expressions fold to literals without emitting any MIR.
  std::optional<CheckedValue> limit = CheckExpr(*loop.limit);
  std::optional<CheckedValue> step = CheckExpr(*loop.step);
  if (!limit || !step || !limit->is_literal || !step->is_literal) {
    *reason = "the limit or the step of `$" + loop.counter + "` is not an int";
    return std::nullopt;
  }
  int64_t by = loop.step_subtracts
                   ? static_cast<int64_t>(0 - static_cast<uint64_t>(step->literal))
                   : step->literal;
  std::optional<uint64_t> trips = CountTrips(*start, by, loop.op, limit->literal);
  if (!trips) {
    *reason = "starting at " + std::to_string(*start) + " and changing by " +
              std::to_string(by) + ", `$" + loop.counter +
              "` never ends the loop";
  }
  return trips;
}

void ProbeChecker::ReportUnboundedLoop(frontend::Span keyword, frontend::Span part,
                                       const std::string& reason,
                                       const char* help) {
  frontend::Diagnostic& error = diagnostics_.Error(
      keyword,
      "this loop is not supported in a probe, because the verifier rejects "
      "loops it cannot bound",
      help);
  error.labels.push_back({part, reason});
}

// `while $i < N { ... $i += k ... }`, with the bound rule in loop_bound.h.
void ProbeChecker::CheckWhile(const frontend::WhileStmt& loop) {
  std::string reason;
  std::optional<CounterLoop> shape =
      MatchWhileLoop(*loop.condition, loop.body, &reason);
  std::optional<uint64_t> trips;
  if (shape) trips = BoundCounterLoop(*shape, &reason);
  if (!trips) {
    ReportUnboundedLoop(loop.span, loop.condition->span, reason, kBoundHelp);
    return;
  }

  mir::BlockId header = NewBlock();
  JumpTo(header);
  current_block_ = header;
  ForgetAssignedLocals(loop.body);
  std::optional<CheckedValue> condition = CheckCondition(*loop.condition);
  if (!condition) return;
  mir::BlockId body = NewBlock();
  mir::BlockId exit = NewBlock();
  Current().terminator = {mir::TerminatorKind::kBranch, condition->id, body, exit};

  current_block_ = body;
  if (EnterLoop(*trips, loop.span, header, exit)) {
    CheckLoopBody(loop.body);
    LeaveLoop();
  }
  JumpTo(header);
  current_block_ = exit;
}

// `loop { if $i >= N { break }; ... $i += k ... }`: the `if` is the test
// of a `while`, negated.
void ProbeChecker::CheckLoop(const frontend::LoopStmt& loop) {
  std::string reason;
  std::optional<CounterLoop> shape = MatchBreakingLoop(loop.body, &reason);
  std::optional<uint64_t> trips;
  if (shape) trips = BoundCounterLoop(*shape, &reason);
  if (!trips) {
    frontend::Span part = loop.body.statements.empty()
                              ? loop.body.span
                              : loop.body.statements[0]->span;
    ReportUnboundedLoop(loop.span, part, reason,
                        "start the body with `if $i >= N { break }` on a "
                        "`mut` int set before the loop, and add one "
                        "`$i += 1` to the body");
    return;
  }

  mir::BlockId body = NewBlock();
  mir::BlockId exit = NewBlock();
  JumpTo(body);
  current_block_ = body;
  // The test runs once more than the rest of the body.
  if (EnterLoop(*trips + 1, loop.span, body, exit)) {
    CheckLoopBody(loop.body);
    LeaveLoop();
  }
  JumpTo(body);
  current_block_ = exit;
}

// Counts a loop's iterations, nested loops multiplied, against the limit
// the verifier's budget allows.
bool ProbeChecker::EnterLoop(uint64_t trips, frontend::Span span,
                             mir::BlockId continue_target,
                             mir::BlockId break_target, bool unrolled) {
  uint64_t outer = loops_.empty() ? 1 : loops_.back().iterations;
  unsigned __int128 total = static_cast<unsigned __int128>(outer) * trips;
  if (total > kMaxLoopIterations) {
    std::string count = std::to_string(trips) + " times";
    if (outer > 1) {
      count += " inside loops that run " + std::to_string(outer) +
               " times, which makes " +
               (total > UINT64_MAX ? std::string("over 2^64")
                                   : std::to_string(static_cast<uint64_t>(total))) +
               " iterations";
    }
    diagnostics_.Error(span,
                       "this loop runs " + count + ", more than the " +
                           std::to_string(kMaxLoopIterations) +
                           " iterations a loop nest may run, because the "
                           "verifier walks each one",
                       "loop fewer times, or split the work between probes");
    return false;
  }
  uint64_t runs = loops_.empty() ? 1 : loops_.back().runs;
  if (!unrolled) runs *= trips;
  // Each iteration takes the header's test and the jump back; the header
  // block was numbered before the loop, at the outer loops' count.
  if (!unrolled && 2 * runs > loop_jumps_heaviest_) {
    loop_jumps_heaviest_ = 2 * runs;
    heaviest_loop_span_ = span;
  }
  if (!unrolled) loop_jumps_ += 2 * runs;
  loops_.push_back(
      {continue_target, break_target, static_cast<uint64_t>(total), runs});
  return true;
}

void ProbeChecker::LeaveLoop() { loops_.pop_back(); }

// Estimates the conditional jumps on the longest path through the probe:
// every branch as often as its block runs, the tests and back edges of
// loops, and the string scans. The verifier follows at most 8192 on one
// path, and a loop of 1024 iterations with five `if`s already passes it.
void ProbeChecker::CheckJumpBudget() {
  uint64_t jumps = loop_jumps_ + string_jumps_;
  for (size_t block = 0; block < function_->blocks.size(); ++block) {
    if (function_->blocks[block].terminator.kind == mir::TerminatorKind::kBranch) {
      jumps += block_runs_[block];
    }
  }
  if (jumps <= kJumpBudget || loop_jumps_ == 0) return;
  diagnostics_.Error(
      heaviest_loop_span_,
      "the loops of this probe make about " + std::to_string(jumps) +
          " conditional jumps on one path, and the verifier follows at "
          "most " + std::to_string(kMaxJumpSequence),
      "loop fewer times, or keep fewer `if`s and `match` arms in the loop "
      "body");
}

// Adds the jumps of a string scan to the probe's total, and returns true
// when that passes the budget and it reported an error. The total counts
// every scan, even those on different paths. So it can reject a probe that
// the verifier would take, and the message calls it an estimate.
bool ProbeChecker::NoteStringJumps(const mir::Instruction& instruction) {
  uint64_t jumps = kIntToStringJumps;
  if (instruction.opcode != Opcode::kIntToString) {
    jumps = function_->value_types[instruction.operands[0]].capacity + 2;
  }
  uint64_t runs = loops_.empty() ? 1 : loops_.back().runs;
  uint64_t before = string_jumps_;
  string_jumps_ += jumps * runs;
  if (before > kJumpBudget || string_jumps_ <= kJumpBudget) return false;
  diagnostics_.Error(
      instruction.span,
      "the string commands up to here scan about " + std::to_string(string_jumps_) +
          " bytes in all, and each byte is a jump the verifier follows; it "
          "stops at " + std::to_string(kMaxJumpSequence) + " jumps on one path",
      "lower `--max-strlen`, or use fewer string commands on long strings");
  return true;
}

// Adds the verifier's walk of a string command inside loops to the probe's
// estimate, and reports the command that takes it over the budget. The
// backend lowers each such command as a loop over the string's bytes.
void ProbeChecker::NoteStringWalk(const mir::Instruction& instruction) {
  // One error for one command is enough.
  if (!mir::WalksString(instruction.opcode) || NoteStringJumps(instruction)) return;
  if (loops_.empty()) return;
  uint64_t cost = kIntToStringWalk;
  if (instruction.opcode != Opcode::kIntToString) {
    uint32_t capacity = function_->value_types[instruction.operands[0]].capacity;
    cost = kStringWalkPerByte * (capacity + 2);
  }
  uint64_t before = string_walk_estimate_;
  string_walk_estimate_ += cost * loops_.back().runs;
  if (before > kStringWalkBudget || string_walk_estimate_ <= kStringWalkBudget) return;
  diagnostics_.Error(
      instruction.span,
      "this command walks a string " + std::to_string(loops_.back().runs) +
          " times in loops, which would make the verifier walk about " +
          std::to_string(string_walk_estimate_) + " instructions in this probe, " +
          "more than the " + std::to_string(kStringWalkBudget) + " allowed",
      "loop fewer times, use a shorter string (`--max-strlen`), or move the "
      "command out of the loop");
}

// Checks a loop body. Stores in it leave `mut` values unknown after the
// loop, and on the loop's later iterations.
void ProbeChecker::CheckLoopBody(const frontend::Block& body) {
  // The body's first block was numbered before the loop was entered.
  block_runs_[current_block_] = loops_.back().runs;
  ForgetAssignedLocals(body);
  ++control_depth_;
  CheckBlock(body);
  --control_depth_;
}

mir::ValueId ProbeChecker::ConstantI64(int64_t value, frontend::Span span) {
  mir::Instruction constant;
  constant.opcode = Opcode::kConstInt;
  constant.type = Type::Int(64, true);
  constant.int_value = value;
  constant.span = span;
  return Append(std::move(constant));
}

mir::ValueId ProbeChecker::LoadCounter(int32_t local, frontend::Span span) {
  mir::Instruction load;
  load.opcode = Opcode::kLocalLoad;
  load.index = static_cast<uint32_t>(local);
  load.type = Type::Int(64, true);
  load.span = span;
  return Append(std::move(load));
}

void ProbeChecker::StoreCounter(int32_t local, mir::ValueId value,
                                frontend::Span span) {
  mir::Instruction store;
  store.opcode = Opcode::kLocalStore;
  store.index = static_cast<uint32_t>(local);
  store.operands = {value};
  store.span = span;
  Append(std::move(store));
}

void ProbeChecker::JumpTo(mir::BlockId target) {
  Current().terminator = {mir::TerminatorKind::kJump, mir::kNoValue, target, 0};
}

// Gives the statements after a `break`, `continue` or `return` a block of
// their own, which no branch reaches, so that checking goes on.
void ProbeChecker::StartUnreachableBlock() { current_block_ = NewBlock(); }

void ProbeChecker::CheckJump(const frontend::JumpStmt& jump) {
  bool is_break = jump.kind == frontend::StmtKind::kBreak;
  const char* name = is_break ? "`break`" : "`continue`";
  // A `def` body cannot leave a loop around its call, as in Nushell.
  size_t outside = frames_.empty() ? 0 : frames_.back().loop_depth;
  if (loops_.size() <= outside) {
    diagnostics_.Error(jump.span,
                       std::string(name) + " is only valid inside a loop",
                       "use it in the body of `for`, `while` or `loop`, or "
                       "write `return` to end the probe");
    return;
  }
  JumpTo(is_break ? loops_.back().break_target : loops_.back().continue_target);
  StartUnreachableBlock();
}

// `return` in the probe body ends the probe; CheckReturn handles the one
// in a `def` body, which ends the call.
void ProbeChecker::CheckProbeReturn(const frontend::ReturnStmt& statement) {
  if (statement.value) {
    diagnostics_.Error(statement.value->span,
                       "`return` with a value is not supported in a probe, "
                       "because nothing receives a probe's result",
                       "write `return` alone, and send the value with "
                       "`emit` first");
    return;
  }
  Current().terminator.kind = mir::TerminatorKind::kReturn;
  StartUnreachableBlock();
}

}  // namespace nubpf::compiler
