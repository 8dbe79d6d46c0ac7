// Statement checking: scopes, control flow and the commands of a probe body.

#include "compiler/commands.h"
#include "compiler/probe_checker.h"
#include "compiler/suggest.h"

namespace nubpf::compiler {

using frontend::ExprKind;
using frontend::StmtKind;
using mir::Opcode;
using mir::Type;
using mir::TypeKind;

ProbeChecker::ProbeChecker(const frontend::ProbeDecl& probe,
                           const ProbeTarget& target,
                           const CheckOptions& options,
                           frontend::DiagnosticSink& diagnostics,
                           mir::Module* module, mir::Function* function)
    : probe_(probe),
      target_(target),
      options_(options),
      diagnostics_(diagnostics),
      module_(module),
      function_(function) {}

bool ProbeChecker::Run() {
  size_t errors_before = diagnostics_.error_count();
  current_block_ = NewBlock();
  CheckBlock(probe_.body);
  Current().terminator.kind = mir::TerminatorKind::kReturn;
  return diagnostics_.error_count() == errors_before;
}

mir::ValueId ProbeChecker::Append(mir::Instruction instruction) {
  if (!mir::HasNoResult(instruction.opcode)) {
    instruction.result = static_cast<mir::ValueId>(function_->value_types.size());
    function_->value_types.push_back(instruction.type);
  }
  mir::ValueId result = instruction.result;
  Current().instructions.push_back(std::move(instruction));
  return result;
}

mir::BlockId ProbeChecker::NewBlock() {
  function_->blocks.emplace_back();
  return static_cast<mir::BlockId>(function_->blocks.size() - 1);
}

void ProbeChecker::CheckBlock(const frontend::Block& block) {
  scopes_.emplace_back();
  for (const frontend::StmtPtr& statement : block.statements) {
    CheckStatement(*statement);
  }
  scopes_.pop_back();
}

void ProbeChecker::CheckStatement(const frontend::Stmt& statement) {
  switch (statement.kind) {
    case StmtKind::kLet:
      CheckLet(static_cast<const frontend::LetStmt&>(statement));
      return;
    case StmtKind::kPipeline:
      CheckPipeline(static_cast<const frontend::PipelineStmt&>(statement));
      return;
    case StmtKind::kAssign: {
      const auto& assign = static_cast<const frontend::AssignStmt&>(statement);
      diagnostics_.Error(assign.op_span, "`" + std::string(frontend::AssignOpSpelling(assign.op)) +
                                             "` is not supported yet");
      return;
    }
    // TODO: loops need a bound the verifier accepts: a constant trip count
    // or `bpf_loop`, chosen by the checker.
    case StmtKind::kFor:
      diagnostics_.Error(statement.span, "`for` is not supported yet");
      return;
    case StmtKind::kWhile:
      diagnostics_.Error(statement.span, "`while` is not supported yet");
      return;
    case StmtKind::kLoop:
      diagnostics_.Error(statement.span, "`loop` is not supported yet");
      return;
    case StmtKind::kBreak:
      diagnostics_.Error(statement.span, "`break` is not supported yet");
      return;
    case StmtKind::kContinue:
      diagnostics_.Error(statement.span, "`continue` is not supported yet");
      return;
    case StmtKind::kReturn:
      diagnostics_.Error(statement.span, "`return` is not supported yet");
      return;
  }
}

void ProbeChecker::CheckLet(const frontend::LetStmt& let) {
  if (let.kind != frontend::LetKind::kLet) {
    const char* keyword = let.kind == frontend::LetKind::kMut ? "mut" : "const";
    diagnostics_.Error(let.span, "`" + std::string(keyword) + "` is not supported yet",
                       "write `let`");
    return;
  }
  if (!let.type_name.empty()) {
    diagnostics_.Error(let.type_span, "type annotations on `let` are not supported yet",
                       "remove `: " + let.type_name + "`");
    return;
  }
  std::optional<CheckedValue> value = CheckExpr(*let.value);
  if (!value) return;
  // A later `let` of the same name shadows this one, as in Nushell.
  scopes_.back()[let.name] = *value;
}

void ProbeChecker::CheckIf(const frontend::IfExpr& if_statement) {
  std::optional<CheckedValue> condition = CheckCondition(*if_statement.condition);
  if (!condition) return;

  mir::BlockId then_block = NewBlock();
  mir::BlockId else_block = if_statement.else_block ? NewBlock() : 0;
  mir::BlockId join_block = NewBlock();
  mir::Terminator& branch = Current().terminator;
  branch.kind = mir::TerminatorKind::kBranch;
  branch.condition = condition->id;
  branch.target = then_block;
  branch.else_target = if_statement.else_block ? else_block : join_block;

  current_block_ = then_block;
  CheckBlock(if_statement.then_block);
  Current().terminator = {mir::TerminatorKind::kJump, mir::kNoValue, join_block, 0};

  if (if_statement.else_block) {
    current_block_ = else_block;
    CheckBlock(*if_statement.else_block);
    Current().terminator = {mir::TerminatorKind::kJump, mir::kNoValue, join_block, 0};
  }
  current_block_ = join_block;
}

void ProbeChecker::CheckPipeline(const frontend::PipelineStmt& pipeline) {
  const std::vector<frontend::PipelineElement>& elements = pipeline.elements;
  if (elements.empty()) return;

  // An `if` or `match` statement is a pipeline of that one expression.
  if (elements.size() == 1 && elements[0].expr) {
    ExprKind kind = elements[0].expr->kind;
    if (kind == ExprKind::kIf) {
      CheckIf(static_cast<const frontend::IfExpr&>(*elements[0].expr));
      return;
    }
    if (kind == ExprKind::kMatch) {
      diagnostics_.Error(elements[0].expr->span, "`match` is not supported yet",
                         "write `if ... else if ...`");
      return;
    }
  }

  std::optional<CheckedValue> value = CheckPipelineValue(elements);
  if (!value || value->shape == CheckedValue::Shape::kNothing) return;
  diagnostics_.Error(pipeline.span, "the value of this expression is not used",
                     "send it with `emit {name: ...}`, count it with "
                     "`... | count` or print it with `print`");
}

}  // namespace nubpf::compiler
