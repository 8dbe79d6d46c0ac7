// Checks one probe's closure and builds its MIR function. Internal to the
// checker: check_expressions.cpp and check_statements.cpp implement it.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/checker.h"
#include "compiler/commands.h"
#include "compiler/mir.h"
#include "compiler/probe_target.h"
#include "frontend/ast.h"
#include "frontend/diagnostics.h"

namespace nubpf::compiler {

// An expression's value while checking. Integer and string literals stay
// unmaterialised until a use gives their type, as untyped constants do in
// Go: in `$e.pid == 1` the 1 becomes a u32, and `$e.comm == "sh"` compares
// with the literal's bytes instead of a copy of them. Records and lists
// exist only while checking: each field or element is a value of its own.
struct CheckedValue {
  enum class Shape { kScalar, kNothing, kRecord, kList };
  Shape shape = Shape::kScalar;
  mir::ValueId id = mir::kNoValue;
  mir::Type type;
  bool is_literal = false;  // an integer literal in `literal`
  int64_t literal = 0;
  bool is_string_literal = false;  // a string literal in `text`
  std::string text;
  // kRecord: the fields in order; kList: the elements.
  std::vector<std::pair<std::string, CheckedValue>> fields;
  std::vector<CheckedValue> elements;
  // The name a counter key or an event field takes from this value: the
  // last cell path member or the variable it was read from.
  std::string name;
  // For a `mut` variable's binding: the MIR local that contains its value,
  // which each read loads again.
  int32_t local = -1;
  // The binding of a `let` or `mut` whose value had an error: reads of it
  // report nothing more.
  bool is_error = false;
  frontend::Span span;

  bool IsString() const {
    return is_string_literal ||
           (shape == Shape::kScalar && type.kind == mir::TypeKind::kString);
  }
  // Describes the value's type for messages: `int`, `u32`, `string`.
  std::string TypeName() const;
  // Returns the type name in backticks with its article: a `u32`, an `i64`.
  std::string Described() const;
};

// Top-level `const` values by name, checked again where a probe reads
// them: they are literals, or operators on literals and earlier constants.
using Constants = std::map<std::string, const frontend::Expr*>;

// True when `expr` is known at compile time: literals, and operators on
// literals and on the names for which `is_constant` holds.
bool IsCompileTimeConstant(
    const frontend::Expr& expr,
    const std::function<bool(const std::string&)>& is_constant);

class ProbeChecker {
 public:
  ProbeChecker(const frontend::ProbeDecl& probe, const ProbeTarget& target,
               const CheckOptions& options, const Constants& constants,
               frontend::DiagnosticSink& diagnostics, mir::Module* module,
               mir::Function* function);

  // Checks the closure body into `function`. Returns false on any error.
  bool Run();

 private:
  // Statements (check_statements.cpp).
  void CheckBlock(const frontend::Block& block);
  void CheckStatement(const frontend::Stmt& statement);
  void CheckLet(const frontend::LetStmt& let);
  bool BindLet(const frontend::LetStmt& let);
  void CheckAssign(const frontend::AssignStmt& assign);
  bool CheckAnnotation(const frontend::LetStmt& let, const CheckedValue& value);
  std::optional<CheckedValue> ReadVariable(const frontend::VariableExpr& variable);
  void CheckPipeline(const frontend::PipelineStmt& pipeline);

  // `if` and `match` (check_branches.cpp), as statements and as values. As
  // a value, each branch stores its value in a hidden MIR local, and the
  // join block loads it.
  struct BranchEnd {
    mir::BlockId block;
    CheckedValue value;
  };
  std::optional<CheckedValue> CheckIf(const frontend::IfExpr& if_expr,
                                      bool want_value);
  std::optional<CheckedValue> CheckMatch(const frontend::MatchExpr& match,
                                         bool want_value);
  std::optional<CheckedValue> CheckMatchSubject(const frontend::Expr& subject);
  std::optional<mir::ValueId> CheckPattern(const frontend::Pattern& pattern,
                                           const CheckedValue& subject);
  std::optional<mir::ValueId> CheckRangePattern(
      const frontend::RangeExpr& range, const CheckedValue& subject);
  std::optional<CheckedValue> CheckBranch(const frontend::Block& block,
                                          bool want_value, const char* what);
  std::optional<CheckedValue> JoinBranches(const std::vector<BranchEnd>& ends,
                                           mir::BlockId join,
                                           frontend::Span span,
                                           const char* what);
  uint32_t NewLocal(const mir::Type& type);
  void Jump(mir::BlockId target);
  void Branch(mir::ValueId condition, mir::BlockId then_block,
              mir::BlockId else_block);

  // Pipelines and commands (check_commands.cpp). CheckPipelineValue
  // returns the value of the last element; a command that returns nothing,
  // such as `emit`, gives a kNothing value.
  std::optional<CheckedValue> CheckPipelineValue(
      const std::vector<frontend::PipelineElement>& elements);
  std::optional<CheckedValue> CheckCommand(const frontend::CommandCall& call,
                                           std::optional<CheckedValue> input);
  bool CheckEmit(const frontend::CommandCall& call,
                 std::optional<CheckedValue> input);
  bool AddEventField(const std::string& name, const CheckedValue& value,
                     mir::EventLayout* layout, mir::Instruction* emit);
  bool CheckCount(const frontend::CommandCall& call,
                  std::optional<CheckedValue> input);
  std::string CounterLabel(const std::string& base);
  std::optional<CheckedValue> CheckStringCommand(
      const frontend::CommandCall& call, Command command,
      const CheckedValue& input);
  std::optional<CheckedValue> CheckSubstring(const frontend::CommandCall& call,
                                             mir::ValueId operand,
                                             uint32_t capacity);
  std::optional<CheckedValue> CheckInto(const frontend::CommandCall& call,
                                        const CheckedValue& input);
  std::optional<CheckedValue> CheckGet(const frontend::CommandCall& call,
                                       const CheckedValue& input);
  bool CheckPrint(const frontend::CommandCall& call,
                  std::optional<CheckedValue> input);
  std::optional<std::string> LiteralArgument(const frontend::CommandCall& call,
                                             const char* usage);
  std::optional<CheckedValue> MakeString(mir::Opcode opcode, uint32_t capacity,
                                         mir::ValueId operand,
                                         frontend::Span span);
  std::optional<CheckedValue> MakeValue(mir::Instruction instruction);

  // Expressions (check_expressions.cpp). Each returns nullopt after
  // reporting an error.
  std::optional<CheckedValue> CheckExpr(const frontend::Expr& expr);
  std::optional<CheckedValue> CheckField(const frontend::FieldExpr& field);
  std::optional<CheckedValue> CheckTracepointField(
      const frontend::FieldExpr& field, const TracepointField& info);
  std::optional<CheckedValue> CheckUnary(const frontend::UnaryExpr& unary);
  std::optional<CheckedValue> CheckBinary(const frontend::BinaryExpr& binary);
  std::optional<CheckedValue> CheckStringEquality(
      const frontend::BinaryExpr& binary, const CheckedValue& lhs,
      const CheckedValue& rhs);
  std::optional<CheckedValue> CheckCondition(const frontend::Expr& expr);

  // Turns a literal into a constant of `type`, or casts a value to `type`.
  // A string literal becomes a constant string of its own length.
  mir::ValueId Materialize(const CheckedValue& value, const mir::Type& type);
  mir::ValueId MaterializeDefault(const CheckedValue& value);

  // MIR building.
  mir::ValueId Append(mir::Instruction instruction);
  mir::BlockId NewBlock();
  mir::Block& Current() { return function_->blocks[current_block_]; }

  const frontend::ProbeDecl& probe_;
  const ProbeTarget& target_;
  const CheckOptions& options_;
  const Constants& constants_;
  frontend::DiagnosticSink& diagnostics_;
  mir::Module* module_;
  mir::Function* function_;
  mir::BlockId current_block_ = 0;
  // `let` bindings, innermost scope last.
  std::vector<std::map<std::string, CheckedValue>> scopes_;
};

}  // namespace nubpf::compiler
