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
  if (instruction.opcode != Opcode::kEmit && instruction.opcode != Opcode::kCount) {
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

  const frontend::Expr* input = nullptr;
  size_t command_index = 0;
  if (elements[0].expr) {
    input = elements[0].expr.get();
    command_index = 1;
  }
  if (command_index >= elements.size()) {
    diagnostics_.Error(elements[0].span, "the value of this expression is not used",
                       "send it with `emit {name: ...}` or count it with "
                       "`... | count`");
    return;
  }
  if (elements.size() > command_index + 1) {
    // TODO: chains such as `$x | into int | count` need the string and
    // conversion commands, which come with the rest of the language.
    diagnostics_.Error(elements[command_index + 1].span,
                       "a pipeline can pass a value to one command only for now");
    return;
  }
  const frontend::CommandCall* call = elements[command_index].command.get();
  if (call == nullptr) {
    diagnostics_.Error(elements[command_index].span,
                       "expected a command after `|`, such as `count`");
    return;
  }

  std::optional<Command> command = LookupCommand(call->name);
  if (!command) {
    std::vector<std::string> names = CommandNames();
    std::string nearest = NearestName(call->name, names);
    std::string listed;
    for (const std::string& name : names) {
      listed += (listed.empty() ? "`" : ", `") + name + "`";
    }
    diagnostics_.Error(call->name_span, "unknown command `" + call->name + "`",
                       nearest.empty() ? "the commands are " + listed
                                       : "did you mean `" + nearest + "`?");
    return;
  }
  switch (*command) {
    case Command::kEmit:
      CheckEmit(*call, input);
      return;
    case Command::kCount:
      CheckCount(*call, input);
      return;
  }
}

static uint32_t AlignTo(uint32_t offset, uint32_t alignment) {
  return (offset + alignment - 1) / alignment * alignment;
}

void ProbeChecker::CheckEmit(const frontend::CommandCall& call,
                             const frontend::Expr* input) {
  const frontend::Expr* record_expr = input;
  for (const frontend::Argument& argument : call.arguments) {
    if (!argument.flag.empty() || record_expr != nullptr) {
      diagnostics_.Error(argument.span, "`emit` takes one record",
                         "write `emit {pid: $e.pid}`");
      return;
    }
    record_expr = argument.value.get();
  }
  if (record_expr == nullptr || record_expr->kind != ExprKind::kRecord) {
    diagnostics_.Error(record_expr ? record_expr->span : call.span,
                       "`emit` takes a record", "write `emit {pid: $e.pid}`");
    return;
  }
  const auto& record = static_cast<const frontend::RecordExpr&>(*record_expr);
  if (record.fields.empty()) {
    diagnostics_.Error(record.span, "an emitted record needs at least one field");
    return;
  }

  mir::EventLayout layout;
  layout.id = static_cast<uint32_t>(module_->events.size());
  layout.function = function_->name;
  layout.span = call.span;
  uint32_t offset = mir::kEventHeaderSize;
  mir::Instruction emit;
  emit.opcode = Opcode::kEmit;
  emit.index = layout.id;
  emit.span = call.span;

  // The parser has rejected records with a key used twice.
  for (const frontend::RecordField& field : record.fields) {
    if (field.name.find_first_of("\t\n") != std::string::npos) {
      diagnostics_.Error(field.name_span,
                         "a field name cannot contain a tab or a newline");
      return;
    }
    std::optional<CheckedValue> value = CheckExpr(*field.value);
    if (!value) return;

    mir::Type type = value->type;
    uint32_t alignment = type.kind == TypeKind::kString ? 8 : type.SizeInBytes();
    offset = AlignTo(offset, alignment);
    layout.fields.push_back({field.name, type, offset});
    offset += type.SizeInBytes();
    emit.operands.push_back(MaterializeDefault(*value));
  }
  layout.size = AlignTo(offset, 8);
  module_->events.push_back(std::move(layout));
  Append(std::move(emit));
}

std::string ProbeChecker::CounterLabel(const std::string& base) {
  int same = 0;
  for (const mir::Counter& counter : module_->counters) {
    if (counter.label == base ||
        counter.label.rfind(base + " #", 0) == 0) {
      ++same;
    }
  }
  return same == 0 ? base : base + " #" + std::to_string(same + 1);
}

void ProbeChecker::CheckCount(const frontend::CommandCall& call,
                              const frontend::Expr* input) {
  if (!call.arguments.empty()) {
    diagnostics_.Error(call.arguments[0].span, "`count` takes no arguments",
                       "pipe the key into it: `$e.comm | count`");
    return;
  }

  mir::Counter counter;
  counter.map_name = "count_" + std::to_string(module_->counters.size());
  counter.span = call.span;
  mir::Instruction count;
  count.opcode = Opcode::kCount;
  count.index = static_cast<uint32_t>(module_->counters.size());
  count.span = call.span;

  if (input == nullptr) {
    counter.label = CounterLabel("count");
  } else {
    std::optional<CheckedValue> key = CheckExpr(*input);
    if (!key) return;
    counter.keyed = true;
    counter.key_type = key->type;
    if (input->kind == ExprKind::kField) {
      counter.key_name = static_cast<const frontend::FieldExpr&>(*input).field;
    } else if (input->kind == ExprKind::kVariable) {
      counter.key_name = static_cast<const frontend::VariableExpr&>(*input).name;
    } else {
      counter.key_name = "key";
    }
    counter.label = CounterLabel("count by " + counter.key_name);
    count.operands = {MaterializeDefault(*key)};
  }
  module_->counters.push_back(std::move(counter));
  Append(std::move(count));
}

}  // namespace nubpf::compiler
