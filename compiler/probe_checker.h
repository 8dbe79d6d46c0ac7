// Checks one probe's closure and builds its MIR function. Internal to the
// checker: check_expressions.cpp and check_statements.cpp implement it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/checker.h"
#include "compiler/mir.h"
#include "compiler/probe_target.h"
#include "frontend/ast.h"
#include "frontend/diagnostics.h"

namespace nubpf::compiler {

// An expression's value while checking. Integer literals stay unmaterialised
// until the other operand gives their type, as untyped constants do in Go:
// in `$e.pid == 1` the 1 becomes a u32.
struct CheckedValue {
  mir::ValueId id = mir::kNoValue;
  mir::Type type;
  bool is_literal = false;
  int64_t literal = 0;
  frontend::Span span;
};

class ProbeChecker {
 public:
  ProbeChecker(const frontend::ProbeDecl& probe, const ProbeTarget& target,
               const CheckOptions& options,
               frontend::DiagnosticSink& diagnostics, mir::Module* module,
               mir::Function* function);

  // Checks the closure body into `function`. Returns false on any error.
  bool Run();

 private:
  // Statements (check_statements.cpp).
  void CheckBlock(const frontend::Block& block);
  void CheckStatement(const frontend::Stmt& statement);
  void CheckLet(const frontend::LetStmt& let);
  void CheckIf(const frontend::IfExpr& if_statement);
  void CheckPipeline(const frontend::PipelineStmt& pipeline);
  void CheckEmit(const frontend::CommandCall& call, const frontend::Expr* input);
  void CheckCount(const frontend::CommandCall& call, const frontend::Expr* input);
  std::string CounterLabel(const std::string& base);

  // Expressions (check_expressions.cpp). Each returns nullopt after
  // reporting an error.
  std::optional<CheckedValue> CheckExpr(const frontend::Expr& expr);
  std::optional<CheckedValue> CheckField(const frontend::FieldExpr& field);
  std::optional<CheckedValue> CheckTracepointField(
      const frontend::FieldExpr& field, const TracepointField& info);
  std::optional<CheckedValue> CheckUnary(const frontend::UnaryExpr& unary);
  std::optional<CheckedValue> CheckBinary(const frontend::BinaryExpr& binary);
  std::optional<CheckedValue> CheckStringEquality(
      const frontend::BinaryExpr& binary);
  std::optional<CheckedValue> CheckCondition(const frontend::Expr& expr);

  // Turns a literal into a constant of `type`, or casts a value to `type`.
  mir::ValueId Materialize(const CheckedValue& value, const mir::Type& type);
  mir::ValueId MaterializeDefault(const CheckedValue& value);

  // MIR building.
  mir::ValueId Append(mir::Instruction instruction);
  mir::BlockId NewBlock();
  mir::Block& Current() { return function_->blocks[current_block_]; }

  const frontend::ProbeDecl& probe_;
  const ProbeTarget& target_;
  const CheckOptions& options_;
  frontend::DiagnosticSink& diagnostics_;
  mir::Module* module_;
  mir::Function* function_;
  mir::BlockId current_block_ = 0;
  // `let` bindings, innermost scope last.
  std::vector<std::map<std::string, CheckedValue>> scopes_;
};

}  // namespace nubpf::compiler
