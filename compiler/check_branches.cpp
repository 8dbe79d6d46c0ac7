// `if` and `match`, as statements and as values.
//
// A branch's value is the value of its block's last pipeline, as in
// Nushell. As a value, every branch stores its value in one hidden MIR
// local and jumps to the join block, which loads it:
//
//   let kind = if $e.pid == 1 { "init" } else { "other" }
//
//   bb0: branch %c, bb1, bb2
//   bb1: %1 = "init"; store local#0 %1; jump bb3
//   bb2: %2 = "other"; store local#0 %2; jump bb3
//   bb3: %3: string[6] = load local#0

#include "compiler/probe_checker.h"

namespace nubpf::compiler {

using frontend::ExprKind;
using frontend::PatternKind;
using mir::Opcode;
using mir::Type;
using mir::TypeKind;

uint32_t ProbeChecker::NewLocal(const Type& type) {
  function_->locals.push_back(type);
  return static_cast<uint32_t>(function_->locals.size() - 1);
}

void ProbeChecker::Jump(mir::BlockId target) {
  Current().terminator = {mir::TerminatorKind::kJump, mir::kNoValue, target, 0};
}

void ProbeChecker::Branch(mir::ValueId condition, mir::BlockId then_block,
                          mir::BlockId else_block) {
  Current().terminator = {mir::TerminatorKind::kBranch, condition, then_block,
                          else_block};
}

// Checks a branch's block. As a statement every pipeline in it must use its
// value; as a value the last one gives the branch's value.
std::optional<CheckedValue> ProbeChecker::CheckBranch(
    const frontend::Block& block, bool want_value, const char* what) {
  // The flag applies to this branch's own value, not to the `if`s and
  // `match`es nested in it.
  bool may_give_nothing = branches_may_give_nothing_;
  branches_may_give_nothing_ = false;
  std::optional<CheckedValue> value =
      CheckBranchBlock(block, want_value, may_give_nothing, what);
  branches_may_give_nothing_ = may_give_nothing;
  return value;
}

std::optional<CheckedValue> ProbeChecker::CheckBranchBlock(
    const frontend::Block& block, bool want_value, bool may_give_nothing,
    const char* what) {
  if (!want_value) {
    CheckBlock(block);
    CheckedValue nothing;
    nothing.shape = CheckedValue::Shape::kNothing;
    return nothing;
  }

  scopes_.emplace_back();
  size_t count = block.statements.size();
  for (size_t i = 0; i + 1 < count; ++i) CheckStatement(*block.statements[i]);
  std::optional<CheckedValue> value;
  const frontend::Stmt* last = count > 0 ? block.statements.back().get() : nullptr;
  if (last != nullptr && last->kind == frontend::StmtKind::kPipeline) {
    value = CheckPipelineValue(
        static_cast<const frontend::PipelineStmt*>(last)->elements);
  } else {
    if (last != nullptr) CheckStatement(*last);
    value = CheckedValue();
    value->shape = CheckedValue::Shape::kNothing;
  }
  scopes_.pop_back();

  if (value && value->shape == CheckedValue::Shape::kNothing && !may_give_nothing) {
    diagnostics_.Error(last != nullptr ? last->span : block.span,
                       std::string("this branch of the ") + what +
                           " gives no value",
                       "end the block with the value, such as `0` or "
                       "`$e.pid`");
    return std::nullopt;
  }
  return value;
}

std::optional<CheckedValue> ProbeChecker::CheckIf(const frontend::IfExpr& if_expr,
                                                  bool want_value) {
  // At the end of a `def`, an `if` without `else` is fine as long as its
  // branch gives nothing, which is known only after checking the branch.
  bool lone_branch_may_give_nothing = branches_may_give_nothing_;
  if (want_value && !if_expr.else_block && !lone_branch_may_give_nothing) {
    ReportIfWithoutElse(if_expr);
    return std::nullopt;
  }
  std::optional<CheckedValue> condition = CheckCondition(*if_expr.condition);
  if (!condition) return std::nullopt;
  // In the branch where a tested optional is not null, its variable is
  // the value, in a scope around the branch's own.
  auto check_branch = [&](const frontend::Block& block, bool is_then) {
    scopes_.push_back(NarrowNull(*if_expr.condition, /*when_true=*/is_then));
    std::optional<CheckedValue> value = CheckBranch(block, want_value, "`if`");
    scopes_.pop_back();
    return value;
  };

  mir::BlockId then_block = NewBlock();
  mir::BlockId else_block = if_expr.else_block ? NewBlock() : 0;
  mir::BlockId join_block = NewBlock();
  Branch(condition->id, then_block, if_expr.else_block ? else_block : join_block);

  std::vector<BranchEnd> ends;
  bool ok = true;
  // Stores in a branch leave a `mut` value unknown after the join.
  ++control_depth_;
  current_block_ = then_block;
  std::optional<CheckedValue> value = check_branch(if_expr.then_block, /*is_then=*/true);
  if (value && !if_expr.else_block && want_value &&
      value->shape != CheckedValue::Shape::kNothing) {
    ReportIfWithoutElse(if_expr);
    value.reset();
  }
  if (value) ends.push_back({current_block_, *value});
  ok = ok && value.has_value();

  if (if_expr.else_block) {
    current_block_ = else_block;
    value = check_branch(*if_expr.else_block, /*is_then=*/false);
    if (value) ends.push_back({current_block_, *value});
    ok = ok && value.has_value();
  }
  --control_depth_;
  if (!ok && want_value) {
    current_block_ = join_block;
    return std::nullopt;
  }
  return JoinBranches(ends, join_block, if_expr.span, "`if`");
}

void ProbeChecker::ReportIfWithoutElse(const frontend::IfExpr& if_expr) {
  diagnostics_.Error(if_expr.span,
                     "an `if` without `else` has no value when its "
                     "condition is false",
                     "add an `else` block, such as `else { 0 }`");
}

// Ends each branch with a jump to `join` and continues there. For values,
// the branches must agree on a type: integers of any width become one
// integer type, and strings of any capacity one string of the largest.
std::optional<CheckedValue> ProbeChecker::JoinBranches(
    const std::vector<BranchEnd>& ends, mir::BlockId join, frontend::Span span,
    const char* what) {
  bool is_value = !ends.empty() && ends[0].value.shape != CheckedValue::Shape::kNothing;
  if (!is_value) {
    for (const BranchEnd& end : ends) {
      current_block_ = end.block;
      Jump(join);
    }
    current_block_ = join;
    CheckedValue nothing;
    nothing.shape = CheckedValue::Shape::kNothing;
    return nothing;
  }

  // Pick the local's type from the first branch, then widen it.
  const CheckedValue& first = ends[0].value;
  Type type = first.is_literal ? Type::Int(64, true) : first.type;
  if (first.is_string_literal) type = Type::String(first.StringCapacity());
  for (const BranchEnd& end : ends) {
    const CheckedValue& value = end.value;
    if (RejectStack(value, std::string("the value of ") + what)) return std::nullopt;
    bool is_int = value.is_literal ||
                  (value.shape == CheckedValue::Shape::kScalar &&
                   !value.is_string_literal && value.type.kind == TypeKind::kInt);
    bool is_bool = value.shape == CheckedValue::Shape::kScalar && !value.is_literal &&
                   !value.is_string_literal && value.type.kind == TypeKind::kBool;
    bool agrees = (type.kind == TypeKind::kInt && is_int) ||
                  (type.kind == TypeKind::kBool && is_bool) ||
                  (type.kind == TypeKind::kString && value.IsString());
    if (value.shape == CheckedValue::Shape::kRecord ||
        value.shape == CheckedValue::Shape::kList) {
      // NOTE: records and lists exist only while checking, so a branch
      // would have to choose between fields known at compile time.
      diagnostics_.Error(value.span,
                         std::string("this ") + what + " gives " +
                             value.Described() +
                             ", which is not supported in a probe, because records "
                             "and lists exist only at compile time",
                         std::string("use the ") + what +
                             " for each field instead, such as `{n: (if ... "
                             "{ 1 } else { 2 })}`");
      return std::nullopt;
    }
    if (!agrees) {
      diagnostics_.Error(value.span,
                         std::string("the branches of this ") + what +
                             " give different types: " + first.Described() +
                             " and " + value.Described(),
                         "make every branch give the same type; `into string` "
                         "and `into int` convert");
      return std::nullopt;
    }
    if (type.kind == TypeKind::kString) {
      type.capacity = std::max(type.capacity, value.StringCapacity());
    } else if (type.kind == TypeKind::kInt && !value.is_literal && value.type != type) {
      // Mixed widths or signedness compute in i64, as arithmetic does.
      type = Type::Int(64, true);
    }
  }
  if (type.kind == TypeKind::kInt && type != Type::Int(64, false)) {
    type = Type::Int(64, true);
  }

  uint32_t local = NewLocal(type);
  for (const BranchEnd& end : ends) {
    current_block_ = end.block;
    mir::Instruction store;
    store.opcode = Opcode::kLocalStore;
    store.index = local;
    store.operands = {Materialize(end.value, type)};
    store.span = end.value.span;
    Append(std::move(store));
    Jump(join);
  }

  current_block_ = join;
  mir::Instruction load;
  load.opcode = Opcode::kLocalLoad;
  load.index = local;
  load.type = type;
  load.span = span;
  CheckedValue result;
  result.type = type;
  result.span = span;
  result.id = Append(std::move(load));
  // Branches that all give durations (or file sizes) give one.
  result.unit = ends[0].value.unit;
  for (const BranchEnd& end : ends) {
    if (end.value.unit != result.unit) result.unit = mir::Unit::kNone;
  }
  return result;
}

}  // namespace nubpf::compiler
