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
                           TargetEnvironment& environment,
                           const Constants& constants, const Defs& defs,
                           frontend::DiagnosticSink& diagnostics,
                           mir::Module* module, mir::Function* function)
    : probe_(probe),
      target_(target),
      options_(options),
      environment_(environment),
      constants_(constants),
      defs_(defs),
      diagnostics_(diagnostics),
      module_(module),
      function_(function) {}

bool ProbeChecker::Run() {
  size_t errors_before = diagnostics_.error_count();
  current_block_ = NewBlock();
  CheckBlock(probe_.body);
  Current().terminator.kind = mir::TerminatorKind::kReturn;
  if (diagnostics_.error_count() == errors_before) CheckJumpBudget();
  return diagnostics_.error_count() == errors_before;
}

mir::ValueId ProbeChecker::Append(mir::Instruction instruction) {
  if (!mir::HasNoResult(instruction.opcode)) {
    instruction.result = static_cast<mir::ValueId>(function_->value_types.size());
    function_->value_types.push_back(instruction.type);
  }
  NoteStringWalk(instruction);
  mir::ValueId result = instruction.result;
  Current().instructions.push_back(std::move(instruction));
  return result;
}

mir::BlockId ProbeChecker::NewBlock() {
  function_->blocks.emplace_back();
  block_runs_.push_back(loops_.empty() ? 1 : loops_.back().runs);
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
    case StmtKind::kAssign:
      CheckAssign(static_cast<const frontend::AssignStmt&>(statement));
      return;
    case StmtKind::kFor:
      CheckFor(static_cast<const frontend::ForStmt&>(statement));
      return;
    case StmtKind::kWhile:
      CheckWhile(static_cast<const frontend::WhileStmt&>(statement));
      return;
    case StmtKind::kLoop:
      CheckLoop(static_cast<const frontend::LoopStmt&>(statement));
      return;
    case StmtKind::kBreak:
    case StmtKind::kContinue:
      CheckJump(static_cast<const frontend::JumpStmt&>(statement));
      return;
    case StmtKind::kReturn:
      CheckReturn(static_cast<const frontend::ReturnStmt&>(statement));
      return;
  }
}

bool IsCompileTimeConstant(
    const frontend::Expr& expr,
    const std::function<bool(const std::string&)>& is_constant) {
  switch (expr.kind) {
    case ExprKind::kInt:
    case ExprKind::kString:
    case ExprKind::kBool:
    case ExprKind::kNull:
      return true;
    case ExprKind::kList:
      for (const frontend::ExprPtr& element :
           static_cast<const frontend::ListExpr&>(expr).elements) {
        if (!IsCompileTimeConstant(*element, is_constant)) return false;
      }
      return true;
    case ExprKind::kVariable:
      return is_constant(static_cast<const frontend::VariableExpr&>(expr).name);
    case ExprKind::kUnary:
      return IsCompileTimeConstant(
          *static_cast<const frontend::UnaryExpr&>(expr).operand, is_constant);
    case ExprKind::kBinary: {
      const auto& binary = static_cast<const frontend::BinaryExpr&>(expr);
      return IsCompileTimeConstant(*binary.lhs, is_constant) &&
             IsCompileTimeConstant(*binary.rhs, is_constant);
    }
    default:
      return false;
  }
}

std::optional<bool> ValueHasType(const std::string& type_name,
                                 const CheckedValue& value) {
  if (type_name.empty() || type_name == "any") return true;
  if (type_name == "int") {
    return value.is_literal || (value.shape == CheckedValue::Shape::kScalar &&
                                !value.is_string_literal &&
                                value.type.kind == TypeKind::kInt);
  }
  if (type_name == "bool") {
    return value.shape == CheckedValue::Shape::kScalar && !value.is_literal &&
           !value.is_string_literal && value.type.kind == TypeKind::kBool;
  }
  if (type_name == "string") return value.IsString();
  if (type_name == "record") {
    return value.shape == CheckedValue::Shape::kRecord ||
           value.shape == CheckedValue::Shape::kEvent;
  }
  if (type_name == "nothing") return value.shape == CheckedValue::Shape::kNull;
  if (type_name == "list") return value.shape == CheckedValue::Shape::kList;

  // `list<T>`: a list whose every element is a T.
  bool is_typed_list = type_name.rfind("list<", 0) == 0 && type_name.back() == '>';
  if (!is_typed_list) return std::nullopt;
  std::string element_type = type_name.substr(5, type_name.size() - 6);
  // Whether a probe has the element type does not depend on the value, and
  // an empty list must report an unknown one too.
  if (!ValueHasType(element_type, CheckedValue{})) return std::nullopt;
  if (value.shape != CheckedValue::Shape::kList) return false;
  for (const CheckedValue& element : value.elements) {
    if (!*ValueHasType(element_type, element)) return false;
  }
  return true;
}

// True when the variable `name` has a value known at compile time: a
// binding of an integer literal, such as a `const` in the probe, or a
// top-level `const`.
bool ProbeChecker::IsConstantName(const std::string& name) const {
  if (const CheckedValue* binding = FindBinding(name)) {
    return binding->local < 0 && binding->is_literal;
  }
  return constants_.count(name) > 0;
}

// Checks a `let`, `mut` or `const` annotation such as `: int` against the
// value's type. Only the types a probe has are accepted.
bool ProbeChecker::CheckAnnotation(const frontend::LetStmt& let,
                                   const CheckedValue& value) {
  std::optional<bool> matches = ValueHasType(let.type_name, value);
  if (!matches) {
    diagnostics_.Error(let.type_span,
                       "type `" + let.type_name + "` is not supported in a probe",
                       "use `int`, `bool`, `string`, `record`, `list`, "
                       "`list<int>` or `nothing`");
    return false;
  }
  if (*matches) return true;
  diagnostics_.Error(let.value->span,
                     "`$" + let.name + "` is declared `" + let.type_name +
                         "`, but this is " + value.Described(),
                     "change the annotation or the value");
  return false;
}

void ProbeChecker::CheckLet(const frontend::LetStmt& let) {
  if (BindLet(let)) return;
  // The name is still bound, so that its later reads do not add errors
  // about a variable that the reported error is the cause of.
  CheckedValue failed;
  failed.is_error = true;
  scopes_.back()[let.name] = failed;
}

bool ProbeChecker::BindLet(const frontend::LetStmt& let) {
  if (let.kind == frontend::LetKind::kConst) {
    auto is_constant = [&](const std::string& name) { return IsConstantName(name); };
    if (!IsCompileTimeConstant(*let.value, is_constant)) {
      diagnostics_.Error(let.value->span,
                         "the value of `const " + let.name +
                             "` is not known at compile time",
                         "use literals, operators and other constants, or "
                         "write `let`");
      return false;
    }
  }
  std::optional<CheckedValue> value = CheckExpr(*let.value);
  if (!value || !CheckAnnotation(let, *value)) return false;
  if (let.kind != frontend::LetKind::kMut) {
    // A later `let` of the same name shadows this one, as in Nushell.
    scopes_.back()[let.name] = *value;
    return true;
  }

  // A `mut` variable lives in a MIR local, so that assignments in one
  // branch reach reads after the join.
  if (RejectStack(*value, "the value of a `mut` variable")) return false;
  if (value->shape != CheckedValue::Shape::kScalar) {
    diagnostics_.Error(let.value->span,
                       "a `mut` variable must be an int, a bool or a string in "
                       "a probe, but this is " + value->Described(),
                       "bind the value with `let`");
    return false;
  }
  mir::Type type = value->is_literal ? Type::Int(64, true) : value->type;
  if (type.kind == TypeKind::kInt) type = Type::Int(64, type.is_signed || type.bits < 64);
  if (value->IsString()) {
    // Later assignments may store longer strings, such as a path after a
    // `""`, so the local has room for a string read from memory.
    type = Type::String(std::max(value->StringCapacity(), options_.max_string_length));
  }
  CheckedValue binding;
  binding.type = type;
  binding.local = static_cast<int32_t>(function_->locals.size());
  binding.unit = value->unit;
  binding.span = let.name_span;
  function_->locals.push_back(type);
  DeclareLocal(binding.local, *value);

  mir::Instruction store;
  store.opcode = Opcode::kLocalStore;
  store.index = static_cast<uint32_t>(binding.local);
  store.operands = {Materialize(*value, type)};
  store.span = let.span;
  Append(std::move(store));
  scopes_.back()[let.name] = binding;
  return true;
}

// `$x = v`, `$x += v`, `$x -= v` and `$x *= v` on a `mut` variable.
void ProbeChecker::CheckAssign(const frontend::AssignStmt& assign) {
  const CheckedValue* binding = nullptr;
  for (auto scope = scopes_.rbegin(); scope != scopes_.rend() && !binding; ++scope) {
    auto found = scope->find(assign.name);
    if (found != scope->end()) binding = &found->second;
  }
  if (binding != nullptr && binding->is_error) return;
  uint32_t global = 0;
  if (binding == nullptr && FindGlobal(*module_, assign.name, &global) != nullptr) {
    CheckGlobalAssign(assign);
    return;
  }
  if (binding == nullptr && FindParameter(*module_, assign.name, &global) != nullptr) {
    RejectParameterAssign(assign);
    return;
  }
  if (binding == nullptr) {
    diagnostics_.Error(assign.name_span, "unknown variable `$" + assign.name + "`",
                       "declare it first with `mut " + assign.name + " = ...`");
    return;
  }
  if (binding->is_loop_variable) {
    diagnostics_.Error(assign.name_span,
                       "`$" + assign.name + "` cannot be changed: it is the "
                       "variable of a `for` loop",
                       "copy it first with `mut " + assign.name +
                           "_copy = $" + assign.name + "`");
    return;
  }
  if (binding->local < 0) {
    diagnostics_.Error(assign.name_span,
                       "`$" + assign.name + "` cannot be changed: it is not `mut`",
                       "declare it with `mut " + assign.name + " = ...`");
    return;
  }
  if (assign.op == frontend::AssignOp::kDivide) {
    diagnostics_.Error(assign.op_span,
                       "`/=` is not supported in a probe, because `/` gives a "
                       "float in Nushell",
                       "write `$" + assign.name + " = $" + assign.name + " // N`");
    return;
  }

  mir::Type type = binding->type;
  uint32_t local = static_cast<uint32_t>(binding->local);
  std::optional<CheckedValue> value = CheckExpr(*assign.value);
  if (!value || RejectStack(*value, "assigned to a `mut` variable")) return;
  bool value_is_bool = value->shape == CheckedValue::Shape::kScalar &&
                       !value->is_literal && !value->is_string_literal &&
                       value->type.kind == TypeKind::kBool;
  bool value_is_int = value->is_literal ||
                      (value->shape == CheckedValue::Shape::kScalar &&
                       !value->is_string_literal && value->type.kind == TypeKind::kInt);
  bool local_is_bool = type.kind == TypeKind::kBool;
  bool local_is_string = type.kind == TypeKind::kString;
  if (local_is_string && value->IsString() && assign.op != frontend::AssignOp::kSet) {
    diagnostics_.Error(assign.op_span,
                       "`" + std::string(frontend::AssignOpSpelling(assign.op)) +
                           "` does not apply to strings",
                       "assign a new string with `$" + assign.name + " = ...`");
    return;
  }
  bool agrees = local_is_bool     ? value_is_bool && assign.op == frontend::AssignOp::kSet
                : local_is_string ? value->IsString()
                                  : value_is_int;
  if (!agrees) {
    diagnostics_.Error(assign.value->span,
                       "`" + std::string(frontend::AssignOpSpelling(assign.op)) +
                           "` cannot store a value of type `" + value->TypeName() +
                           "` in `$" + assign.name + "` of type `" +
                           type.ToString() + "`",
                       "a `mut` variable keeps the type of its first value");
    return;
  }

  if (local_is_string && value->StringCapacity() > type.capacity) {
    // A literal's length is known; a string read at run time can be up to
    // its capacity long.
    bool literal = value->is_string_literal;
    diagnostics_.Error(assign.value->span,
                       std::string(literal ? "this string is " : "this string can be ") +
                           std::to_string(value->StringCapacity() - 1) +
                           " bytes long, but `$" + assign.name + "` has room for " +
                           std::to_string(type.capacity - 1),
                       "give `$" + assign.name + "` a longer first value" +
                           (literal ? "" : ", or cut this one with `str substring`"));
    return;
  }

  mir::ValueId result = Materialize(*value, type);
  if (assign.op != frontend::AssignOp::kSet) {
    mir::Instruction load;
    load.opcode = Opcode::kLocalLoad;
    load.index = local;
    load.type = type;
    load.span = assign.name_span;
    mir::Instruction update;
    update.opcode = Opcode::kBinary;
    update.binary_op = assign.op == frontend::AssignOp::kAdd ? mir::BinaryOp::kAdd
                       : assign.op == frontend::AssignOp::kSubtract
                           ? mir::BinaryOp::kSubtract
                           : mir::BinaryOp::kMultiply;
    update.type = type;
    update.operands = {Append(std::move(load)), result};
    update.span = assign.span;
    result = Append(std::move(update));
  }
  mir::Instruction store;
  store.opcode = Opcode::kLocalStore;
  store.index = local;
  store.operands = {result};
  store.span = assign.span;
  Append(std::move(store));
  NoteStore(static_cast<int32_t>(local), assign.op, *value);
}

void ProbeChecker::CheckPipeline(const frontend::PipelineStmt& pipeline) {
  const std::vector<frontend::PipelineElement>& elements = pipeline.elements;
  if (elements.empty()) return;

  // An `if` or `match` statement is a pipeline of that one expression.
  if (elements.size() == 1 && elements[0].expr) {
    ExprKind kind = elements[0].expr->kind;
    if (kind == ExprKind::kIf) {
      CheckIf(static_cast<const frontend::IfExpr&>(*elements[0].expr),
              /*want_value=*/false);
      return;
    }
    if (kind == ExprKind::kMatch) {
      CheckMatch(static_cast<const frontend::MatchExpr&>(*elements[0].expr),
                 /*want_value=*/false);
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
