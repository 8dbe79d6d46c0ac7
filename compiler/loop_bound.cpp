// Trip counts and the `while` and `loop` shapes whose bound is known.

#include "compiler/loop_bound.h"

#include <functional>

namespace nubpf::compiler {

using frontend::BinaryOp;
using frontend::ExprKind;
using frontend::StmtKind;

std::optional<uint64_t> CountTrips(int64_t start, int64_t step, BinaryOp op,
                                   int64_t limit) {
  // 128-bit arithmetic keeps every intermediate value exact.
  __int128 from = start;
  __int128 to = limit;
  __int128 by = step;
  auto continues = [&](__int128 counter) {
    switch (op) {
      case BinaryOp::kLess:
        return counter < to;
      case BinaryOp::kLessEqual:
        return counter <= to;
      case BinaryOp::kGreater:
        return counter > to;
      case BinaryOp::kGreaterEqual:
        return counter >= to;
      default:
        return counter != to;
    }
  };
  if (!continues(from)) return 0;
  if (step == 0) return std::nullopt;

  // The distance the counter must cover before the test fails, in steps.
  __int128 trips = 0;
  switch (op) {
    case BinaryOp::kLess:
    case BinaryOp::kLessEqual:
      if (step < 0) return std::nullopt;
      trips = (to - from) / by + 1;
      if (op == BinaryOp::kLess && (to - from) % by == 0) trips -= 1;
      break;
    case BinaryOp::kGreater:
    case BinaryOp::kGreaterEqual:
      if (step > 0) return std::nullopt;
      trips = (from - to) / -by + 1;
      if (op == BinaryOp::kGreater && (from - to) % -by == 0) trips -= 1;
      break;
    default:
      if ((to - from) % by != 0 || (to - from) / by < 0) return std::nullopt;
      trips = (to - from) / by;
      break;
  }

  // The step after the last run must not overflow, or the counter wraps
  // around and the loop goes on.
  __int128 end = from + trips * by;
  if (end > INT64_MAX || end < INT64_MIN) return std::nullopt;
  return static_cast<uint64_t>(trips);
}

// Calls `visit` for each block nested directly in `statement`, saying
// whether it is the body of a loop.
static void ForEachChildBlock(
    const frontend::Stmt& statement,
    const std::function<void(const frontend::Block&, bool is_loop)>& visit) {
  switch (statement.kind) {
    case StmtKind::kFor:
      visit(static_cast<const frontend::ForStmt&>(statement).body, true);
      return;
    case StmtKind::kWhile:
      visit(static_cast<const frontend::WhileStmt&>(statement).body, true);
      return;
    case StmtKind::kLoop:
      visit(static_cast<const frontend::LoopStmt&>(statement).body, true);
      return;
    case StmtKind::kPipeline:
      for (const frontend::PipelineElement& element :
           static_cast<const frontend::PipelineStmt&>(statement).elements) {
        if (!element.expr) continue;
        if (element.expr->kind == ExprKind::kIf) {
          const auto& branch = static_cast<const frontend::IfExpr&>(*element.expr);
          visit(branch.then_block, false);
          if (branch.else_block) visit(*branch.else_block, false);
        }
        if (element.expr->kind == ExprKind::kMatch) {
          for (const frontend::MatchArm& arm :
               static_cast<const frontend::MatchExpr&>(*element.expr).arms) {
            visit(arm.body, false);
          }
        }
      }
      return;
    case StmtKind::kLet:
    case StmtKind::kAssign:
    case StmtKind::kBreak:
    case StmtKind::kContinue:
    case StmtKind::kReturn:
      return;
  }
}

void ForEachAssignedName(const frontend::Block& block,
                         const std::function<void(const std::string&)>& visit) {
  for (const frontend::StmtPtr& statement : block.statements) {
    if (statement->kind == StmtKind::kAssign) {
      visit(static_cast<const frontend::AssignStmt&>(*statement).name);
    }
    if (statement->kind == StmtKind::kLet) {
      // A `mut` of the same name inside the body could hide the counter,
      // so it counts as a change too.
      visit(static_cast<const frontend::LetStmt&>(*statement).name);
    }
    ForEachChildBlock(*statement, [&](const frontend::Block& child, bool) {
      ForEachAssignedName(child, visit);
    });
  }
}

// True when `statement` contains a `continue` of the loop it is in, that
// is, one outside any nested loop.
static bool ContainsContinue(const frontend::Stmt& statement) {
  if (statement.kind == StmtKind::kContinue) return true;
  bool found = false;
  ForEachChildBlock(statement, [&](const frontend::Block& child, bool is_loop) {
    if (is_loop) return;
    for (const frontend::StmtPtr& inner : child.statements) {
      found = found || ContainsContinue(*inner);
    }
  });
  return found;
}

static bool IsCounterTest(BinaryOp op) {
  return op == BinaryOp::kLess || op == BinaryOp::kLessEqual ||
         op == BinaryOp::kGreater || op == BinaryOp::kGreaterEqual ||
         op == BinaryOp::kNotEqual;
}

// Matches the test `$i OP C` and the body's one `$i += k` or `$i -= k`,
// which must come before any `continue`. `first` skips the statements
// before it, such as the `if ... { break }` of a `loop`.
static std::optional<CounterLoop> MatchCounter(const frontend::Expr& test,
                                               BinaryOp op,
                                               const frontend::Block& body,
                                               size_t first,
                                               std::string* reason) {
  const auto* binary = test.kind == ExprKind::kBinary
                           ? static_cast<const frontend::BinaryExpr*>(&test)
                           : nullptr;
  if (binary == nullptr || !IsCounterTest(op) ||
      binary->lhs->kind != ExprKind::kVariable) {
    *reason = "its condition is not a comparison of a `mut` variable with a "
              "constant, such as `$i < 10`";
    return std::nullopt;
  }
  CounterLoop loop;
  loop.counter = static_cast<const frontend::VariableExpr&>(*binary->lhs).name;
  loop.op = op;
  loop.limit = binary->rhs.get();

  int changes = 0;
  ForEachAssignedName(body, [&](const std::string& name) {
    if (name == loop.counter) ++changes;
  });
  for (size_t i = first; i < body.statements.size(); ++i) {
    const frontend::Stmt& statement = *body.statements[i];
    if (statement.kind == StmtKind::kAssign) {
      const auto& assign = static_cast<const frontend::AssignStmt&>(statement);
      bool steps = assign.op == frontend::AssignOp::kAdd ||
                   assign.op == frontend::AssignOp::kSubtract;
      if (assign.name == loop.counter && steps && changes == 1) {
        loop.step = assign.value.get();
        loop.step_subtracts = assign.op == frontend::AssignOp::kSubtract;
        return loop;
      }
    }
    if (ContainsContinue(statement)) {
      *reason = "a `continue` comes before `$" + loop.counter + "` changes";
      return std::nullopt;
    }
  }
  *reason = "its body does not change `$" + loop.counter +
            "` exactly once, with one `$" + loop.counter + " += STEP` or `$" +
            loop.counter + " -= STEP` statement directly in the body";
  return std::nullopt;
}

std::optional<CounterLoop> MatchWhileLoop(const frontend::Expr& condition,
                                          const frontend::Block& body,
                                          std::string* reason) {
  // A condition that is not a comparison fails in MatchCounter, so `kAnd`
  // is only a placeholder for its operator.
  BinaryOp op = condition.kind == ExprKind::kBinary
                    ? static_cast<const frontend::BinaryExpr&>(condition).op
                    : BinaryOp::kAnd;
  return MatchCounter(condition, op, body, 0, reason);
}

// Returns the test that keeps a loop going when `op` ends it.
static std::optional<BinaryOp> Negate(BinaryOp op) {
  switch (op) {
    case BinaryOp::kLess:
      return BinaryOp::kGreaterEqual;
    case BinaryOp::kLessEqual:
      return BinaryOp::kGreater;
    case BinaryOp::kGreater:
      return BinaryOp::kLessEqual;
    case BinaryOp::kGreaterEqual:
      return BinaryOp::kLess;
    case BinaryOp::kEqual:
      return BinaryOp::kNotEqual;
    default:
      return std::nullopt;
  }
}

std::optional<CounterLoop> MatchBreakingLoop(const frontend::Block& body,
                                             std::string* reason) {
  *reason = "its first statement is not `if CONDITION { break }`";
  if (body.statements.empty() ||
      body.statements[0]->kind != StmtKind::kPipeline) {
    return std::nullopt;
  }
  const auto& first = static_cast<const frontend::PipelineStmt&>(*body.statements[0]);
  if (first.elements.size() != 1 || !first.elements[0].expr ||
      first.elements[0].expr->kind != ExprKind::kIf) {
    return std::nullopt;
  }
  const auto& exit = static_cast<const frontend::IfExpr&>(*first.elements[0].expr);
  if (exit.else_block || exit.then_block.statements.size() != 1 ||
      exit.then_block.statements[0]->kind != StmtKind::kBreak) {
    return std::nullopt;
  }

  std::optional<BinaryOp> op;
  if (exit.condition->kind == ExprKind::kBinary) {
    op = Negate(static_cast<const frontend::BinaryExpr&>(*exit.condition).op);
  }
  if (!op) {
    *reason = "its `if ... { break }` does not compare a `mut` variable with "
              "a constant, such as `$i >= 10`";
    return std::nullopt;
  }
  return MatchCounter(*exit.condition, *op, body, 1, reason);
}

}  // namespace nubpf::compiler
