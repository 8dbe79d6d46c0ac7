// `def` commands: each call inlines the body at the call site, with the
// parameters bound to the argument values.
//
//   def double [x: int] { $x * 2 }
//   probe tracepoint:syscalls:sys_exit_read {|e| emit {d: (double $e.ret)} }
//
// checks `$x * 2` with `$x` bound to the checked value of `$e.ret`, so the
// probe's MIR is that of `emit {d: ($e.ret * 2)}`. Inlining lets literals,
// records and the probe record pass through parameters as checked values,
// which a BPF function call could not carry.

#include "compiler/probe_checker.h"

namespace nubpf::compiler {

using frontend::ExprKind;
using mir::Opcode;
using mir::Type;
using mir::TypeKind;

namespace {

// A guard against programs that grow with each level of calls (each level
// may call the next several times). Recursion is reported before this.
constexpr size_t kMaxCallDepth = 16;

bool IsInt(const CheckedValue& value) {
  return value.is_literal ||
         (value.shape == CheckedValue::Shape::kScalar &&
          !value.is_string_literal && value.type.kind == TypeKind::kInt);
}

bool IsBool(const CheckedValue& value) {
  return value.shape == CheckedValue::Shape::kScalar && !value.is_literal &&
         !value.is_string_literal && value.type.kind == TypeKind::kBool;
}

// True when `target` can run: some path of terminators leads to it from
// the entry block. Code after a `return` is checked, but cannot run.
bool IsReachable(const mir::Function& function, mir::BlockId target) {
  std::vector<bool> seen(function.blocks.size(), false);
  std::vector<mir::BlockId> pending = {0};
  while (!pending.empty()) {
    mir::BlockId block = pending.back();
    pending.pop_back();
    if (seen[block]) continue;
    seen[block] = true;
    const mir::Terminator& terminator = function.blocks[block].terminator;
    if (terminator.kind == mir::TerminatorKind::kJump) {
      pending.push_back(terminator.target);
    } else if (terminator.kind == mir::TerminatorKind::kBranch) {
      pending.push_back(terminator.target);
      pending.push_back(terminator.else_target);
    }
  }
  return seen[target];
}

}  // namespace

std::optional<CheckedValue> ProbeChecker::CheckDefCall(
    const frontend::CommandCall& call, const frontend::DefDecl& def,
    std::optional<CheckedValue> input) {
  // An earlier call reported the body's errors already.
  if (failed_defs_.count(&def) > 0) return std::nullopt;
  if (!CheckRecursion(call, def)) return std::nullopt;
  std::map<std::string, CheckedValue> parameters;
  if (!BindArguments(call, def, &parameters)) return std::nullopt;

  // The body reads its parameters and the file's constants, but not the
  // caller's variables, as in Nushell.
  std::vector<std::map<std::string, CheckedValue>> caller_scopes;
  caller_scopes.swap(scopes_);
  scopes_.push_back(std::move(parameters));
  InlineFrame frame;
  frame.def = &def;
  frame.call_span = call.span;
  frame.input = input;
  frame.exit_block = NewBlock();
  frame.loop_depth = loops_.size();
  frames_.push_back(std::move(frame));

  size_t errors_before = diagnostics_.error_count();
  size_t diagnostics_before = diagnostics_.diagnostics().size();
  std::optional<CheckedValue> value = CheckDefBody(def.body);
  if (value) value = FinishDefCall(call, value);
  frames_.pop_back();
  scopes_.swap(caller_scopes);

  // Every problem in the body names the call it was found through.
  for (size_t i = diagnostics_before; i < diagnostics_.diagnostics().size(); ++i) {
    diagnostics_.At(i).labels.push_back({call.span, "in this call of `" + def.name + "`"});
  }
  if (diagnostics_.error_count() != errors_before) {
    failed_defs_.insert(&def);
    return std::nullopt;
  }
  if (!value) return std::nullopt;
  value->span = call.span;
  return value;
}

// Reports a call of a command that is already being inlined, naming the
// chain of calls, such as `a -> b -> a`, and calls nested too deep.
bool ProbeChecker::CheckRecursion(const frontend::CommandCall& call,
                                  const frontend::DefDecl& def) {
  for (size_t i = 0; i < frames_.size(); ++i) {
    if (frames_[i].def != &def) continue;
    std::string chain;
    for (size_t j = i; j < frames_.size(); ++j) chain += frames_[j].def->name + " -> ";
    chain += def.name;
    diagnostics_.Error(call.name_span,
                       "recursion is not supported in a probe, because BPF "
                       "programs cannot recurse and inlining `" +
                           def.name + "` would never end: `" + chain + "`",
                       "compute the value without calling `" + def.name +
                           "` again");
    return false;
  }
  if (frames_.size() >= kMaxCallDepth) {
    diagnostics_.Error(call.name_span,
                       "this call of `" + def.name + "` is nested " +
                           std::to_string(frames_.size() + 1) +
                           " commands deep, more than the limit of " +
                           std::to_string(kMaxCallDepth),
                       "call fewer commands inside one another");
    return false;
  }
  return true;
}

// Checks a command's body, or a branch of its final `if`, and returns the
// value of its last statement, as Nushell does: the value of a pipeline or
// of a final `return`, and nothing for any other statement. A final
// `if ... else` ends its paths itself (CheckFinalIf).
std::optional<CheckedValue> ProbeChecker::CheckDefBody(const frontend::Block& body) {
  CheckedValue nothing;
  nothing.shape = CheckedValue::Shape::kNothing;
  nothing.span = body.span;
  if (body.statements.empty()) return nothing;

  scopes_.emplace_back();
  for (size_t i = 0; i + 1 < body.statements.size(); ++i) {
    CheckStatement(*body.statements[i]);
  }

  const frontend::Stmt& last = *body.statements.back();
  std::optional<CheckedValue> value = nothing;
  bool is_value = false;
  if (last.kind == frontend::StmtKind::kPipeline) {
    const auto& pipeline = static_cast<const frontend::PipelineStmt&>(last);
    const frontend::Expr* lone = pipeline.elements.size() == 1
                                     ? pipeline.elements[0].expr.get()
                                     : nullptr;
    is_value = lone == nullptr ||
               (lone->kind != ExprKind::kIf && lone->kind != ExprKind::kMatch);
    if (is_value) value = CheckPipelineValue(pipeline.elements);

    // A final `match` gives the value of the arm taken, or nothing when
    // its arms are statements.
    if (lone != nullptr && lone->kind == ExprKind::kMatch) {
      is_value = true;
      branches_may_give_nothing_ = true;
      value = CheckMatch(static_cast<const frontend::MatchExpr&>(*lone),
                         /*want_value=*/true);
      branches_may_give_nothing_ = false;
    }

    // An `if` without `else` gives nothing when its condition is false, so
    // its branch must give nothing too.
    const auto* if_expr = lone != nullptr && lone->kind == ExprKind::kIf
                              ? static_cast<const frontend::IfExpr*>(lone)
                              : nullptr;
    if (if_expr != nullptr && if_expr->else_block) {
      is_value = true;
      CheckFinalIf(*if_expr);
    } else if (if_expr != nullptr) {
      is_value = true;
      branches_may_give_nothing_ = true;
      value = CheckIf(*if_expr, /*want_value=*/true);
      branches_may_give_nothing_ = false;
    }
  } else if (last.kind == frontend::StmtKind::kReturn) {
    // A final `return` gives the value directly, so it may be any value.
    const auto& statement = static_cast<const frontend::ReturnStmt&>(last);
    is_value = true;
    if (statement.value) value = CheckExpr(*statement.value);
  }
  if (!is_value) CheckStatement(last);
  scopes_.pop_back();
  return value;
}

// Joins the paths of a command's early `return`s with the end of its body,
// whose value is `value`, and returns the value of the call.
std::optional<CheckedValue> ProbeChecker::FinishDefCall(
    const frontend::CommandCall& call, std::optional<CheckedValue> value) {
  InlineFrame& frame = frames_.back();
  mir::BlockId exit_block = frame.exit_block;
  auto jump_to_exit = [&]() {
    Current().terminator = {mir::TerminatorKind::kJump, mir::kNoValue, exit_block, 0};
    current_block_ = exit_block;
  };
  if (frame.returns == InlineFrame::Returns::kNone) {
    jump_to_exit();
    return value;
  }

  // The end of the body gives the same kind of value as the `return`s,
  // unless every path returned before it.
  bool fits = true;
  const char* returned = "nothing";
  switch (frame.returns) {
    case InlineFrame::Returns::kNone:
    case InlineFrame::Returns::kNothing:
      fits = value->shape == CheckedValue::Shape::kNothing;
      break;
    case InlineFrame::Returns::kInt:
      fits = IsInt(*value);
      returned = "an `int`";
      break;
    case InlineFrame::Returns::kBool:
      fits = IsBool(*value);
      returned = "a `bool`";
      break;
    case InlineFrame::Returns::kString:
      fits = value->IsString() && FitsResult(*value);
      returned = "a `string`";
      break;
  }
  if (IsReachable(*function_, current_block_)) {
    if (!fits) {
      std::string found = value->shape == CheckedValue::Shape::kNothing
                              ? std::string("nothing")
                              : value->Described();
      diagnostics_.Error(frame.def->body.span,
                         "`" + frame.def->name + "` gives " + returned +
                             " with `return`, but " + found +
                             " at the end of its body",
                         "give the same type of value on every path");
      return std::nullopt;
    }
    if (frame.result_local >= 0) {
      mir::Instruction store;
      store.opcode = Opcode::kLocalStore;
      store.index = static_cast<uint32_t>(frame.result_local);
      store.operands = {Materialize(*value, function_->locals[frame.result_local])};
      store.span = value->span;
      Append(std::move(store));
    }
  }
  jump_to_exit();

  CheckedValue result;
  result.span = call.span;
  if (frame.result_local < 0) {
    result.shape = CheckedValue::Shape::kNothing;
    return result;
  }
  mir::Instruction load;
  load.opcode = Opcode::kLocalLoad;
  load.index = static_cast<uint32_t>(frame.result_local);
  load.type = function_->locals[frame.result_local];
  load.span = call.span;
  result.type = load.type;
  result.id = Append(std::move(load));
  return result;
}

// `return` and `return VALUE` in a command's body before its end.
void ProbeChecker::CheckReturn(const frontend::ReturnStmt& statement) {
  if (frames_.empty()) {
    CheckProbeReturn(statement);
    return;
  }

  CheckedValue nothing;
  nothing.shape = CheckedValue::Shape::kNothing;
  std::optional<CheckedValue> value = nothing;
  if (statement.value) value = CheckExpr(*statement.value);
  if (!value) return;
  StoreResult(*value, statement.span, /*from_branch=*/false);
}

// True unless `value` is a string longer than the call's string result can
// hold, which it reports.
bool ProbeChecker::FitsResult(const CheckedValue& value) {
  const InlineFrame& frame = frames_.back();
  if (!value.IsString() || frame.result_local < 0) return true;
  uint32_t room = function_->locals[frame.result_local].capacity;
  if (value.StringCapacity() <= room) return true;
  diagnostics_.Error(value.span,
                     "this string can be " + std::to_string(value.StringCapacity() - 1) +
                         " bytes long, but the result of `" + frame.def->name +
                         "` has room for " + std::to_string(room - 1),
                     "cut it with `str substring`, or raise `--max-strlen`");
  return false;
}

// Ends a path through the innermost command with `value`, which an early
// `return` or a branch of the final `if` gives: the value waits in a hidden
// local, and the path jumps to the end of the call.
void ProbeChecker::StoreResult(const CheckedValue& value, frontend::Span span,
                               bool from_branch) {
  InlineFrame& frame = frames_.back();
  const std::string& name = frame.def->name;
  std::string use = from_branch ? "the value of an `if` that ends `" + name + "`"
                                : "returned early from `" + name + "`";
  if (RejectStack(value, use)) return;
  InlineFrame::Returns kind = InlineFrame::Returns::kNothing;
  if (IsInt(value)) {
    kind = InlineFrame::Returns::kInt;
  } else if (IsBool(value)) {
    kind = InlineFrame::Returns::kBool;
  } else if (value.IsString()) {
    kind = InlineFrame::Returns::kString;
  } else if (value.shape != CheckedValue::Shape::kNothing) {
    if (from_branch) {
      if (frame.reported_branch_type) return;
      frame.reported_branch_type = true;
      diagnostics_.Error(span,
                         "an `if` at the end of `" + name + "` that gives " +
                             value.Described() +
                             " is not supported in a probe, because its "
                             "branches join like early returns, which carry "
                             "only an int, a bool or a string",
                         "give an int, a bool or a string in each branch, or "
                         "compute the value before the `if`");
      return;
    }
    diagnostics_.Error(span,
                       "returning " + value.Described() + " before the end of `" +
                           name + "` is not supported in a probe, because an "
                           "early `return` can carry only an int, a bool or a "
                           "string",
                       "return an int, a bool or a string here, or make the "
                       "value the last expression of `" + name + "`");
    return;
  }
  if (frame.returns != InlineFrame::Returns::kNone && frame.returns != kind) {
    std::string gives = kind == InlineFrame::Returns::kNothing
                            ? std::string("nothing")
                            : value.Described();
    diagnostics_.Error(span,
                       std::string(from_branch ? "this branch" : "this `return`") +
                           " gives " + gives + ", but another path of `" +
                           name + "` gives another type",
                       "give the same type of value on every path");
    return;
  }
  frame.returns = kind;

  if (kind != InlineFrame::Returns::kNothing) {
    Type type = kind == InlineFrame::Returns::kInt ? Type::Int(64, true) : Type::Bool();
    if (kind == InlineFrame::Returns::kString) {
      // Later paths may give longer strings, so the local has room for a
      // string read from memory too.
      type = Type::String(std::max(value.StringCapacity(), options_.max_string_length));
    }
    if (frame.result_local < 0) {
      frame.result_local = static_cast<int32_t>(function_->locals.size());
      function_->locals.push_back(type);
    }
    type = function_->locals[frame.result_local];
    if (!FitsResult(value)) return;
    mir::Instruction store;
    store.opcode = Opcode::kLocalStore;
    store.index = static_cast<uint32_t>(frame.result_local);
    store.operands = {Materialize(value, type)};
    store.span = span;
    Append(std::move(store));
  }

  // Statements after a `return` go into a block that nothing jumps to.
  Current().terminator = {mir::TerminatorKind::kJump, mir::kNoValue,
                          frame.exit_block, 0};
  current_block_ = NewBlock();
}

// An `if ... else ...` as the last statement of a command's body, whose
// value is the value of the branch taken, as in Nushell:
//
//   def sign [n: int] { if $n < 0 { -1 } else if $n == 0 { 0 } else { 1 } }
//
// Each branch ends its path as an early `return` of its last value does.
void ProbeChecker::CheckFinalIf(const frontend::IfExpr& if_expr) {
  std::optional<CheckedValue> condition = CheckCondition(*if_expr.condition);
  if (!condition) return;

  mir::BlockId then_block = NewBlock();
  mir::BlockId else_block = NewBlock();
  mir::Terminator& branch = Current().terminator;
  branch.kind = mir::TerminatorKind::kBranch;
  branch.condition = condition->id;
  branch.target = then_block;
  branch.else_target = else_block;

  const std::pair<mir::BlockId, const frontend::Block*> branches[] = {
      {then_block, &if_expr.then_block}, {else_block, if_expr.else_block.get()}};
  ++control_depth_;
  for (const auto& [block, body] : branches) {
    current_block_ = block;
    std::optional<CheckedValue> value = CheckDefBody(*body);
    // A nested final `if` has ended every path of this branch already.
    if (!value || !IsReachable(*function_, current_block_)) continue;
    StoreResult(*value, value->span, /*from_branch=*/true);
  }
  --control_depth_;
}

CheckedValue ProbeChecker::EventValue(const std::string& name,
                                      frontend::Span span) {
  CheckedValue value;
  value.shape = CheckedValue::Shape::kEvent;
  value.name = name;
  value.event_variable = name;
  value.span = span;
  return value;
}

// `$in`: in a probe body the probe record, as Nushell passes a closure's
// input as `$in`; in a command's body the call's pipeline input.
std::optional<CheckedValue> ProbeChecker::ReadInput(
    const frontend::VariableExpr& variable) {
  if (frames_.empty()) return EventValue("in", variable.span);

  const InlineFrame& frame = frames_.back();
  if (!frame.input) {
    diagnostics_.Error(variable.span,
                       "`$in` has no value: `" + frame.def->name +
                           "` was called without a pipeline input",
                       "pipe a value into the call, such as `$e.comm | " +
                           frame.def->name + "`");
    return std::nullopt;
  }
  CheckedValue value = *frame.input;
  value.span = variable.span;
  return value;
}

}  // namespace nubpf::compiler
