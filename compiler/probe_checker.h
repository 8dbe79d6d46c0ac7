// Checks one probe's closure and builds its MIR function. Internal to the
// checker: check_statements.cpp, check_expressions.cpp, check_commands.cpp,
// check_print.cpp and check_calls.cpp implement it.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
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
  // kEvent is the probe record itself (`$e`, or `$in` in a probe body),
  // whose fields are read only where a cell path names them.
  enum class Shape { kScalar, kNothing, kRecord, kList, kEvent };
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
  // kEvent: the variable it was read from, without `$`, for messages.
  std::string event_variable;
  // For a `mut` variable's binding: the MIR local that contains its value,
  // which each read loads again.
  int32_t local = -1;
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

// Returns a flag argument as written: `--verbose` or `-v`.
std::string FlagSpelling(const frontend::Argument& argument);

// True when `value` has the type `type_name` of an annotation (`int`,
// `bool`, `string`, `record`, `any` or none); nullopt for a type that a
// probe does not have.
std::optional<bool> ValueHasType(const std::string& type_name,
                                 const CheckedValue& value);

// The file's `def` commands by name, `def main` left out: a call inlines
// the body where it stands.
using Defs = std::map<std::string, const frontend::DefDecl*>;

// Checks what a `def` declares before any call: the parameter types a probe
// has, switches without a type, and constant defaults. Reports each problem
// and returns false if there was one.
bool CheckDefSignature(const frontend::DefDecl& def, const Constants& constants,
                       frontend::DiagnosticSink& diagnostics);

// One `def` call being inlined. The stack of frames lets `return` and `$in`
// find the call they belong to, and detects recursion.
struct InlineFrame {
  const frontend::DefDecl* def = nullptr;
  frontend::Span call_span;
  // The call's pipeline input, which `$in` reads; empty without one.
  std::optional<CheckedValue> input;
  // Where an early `return` jumps after storing its value.
  mir::BlockId exit_block = 0;
  // What the early `return`s give: nothing yet, a bare `return`, or an
  // int or bool stored in `result_local`.
  enum class Returns { kNone, kNothing, kInt, kBool };
  Returns returns = Returns::kNone;
  int32_t result_local = -1;
};
// True when `expr` is known at compile time: literals, and operators on
// literals and on the names for which `is_constant` holds.
bool IsCompileTimeConstant(
    const frontend::Expr& expr,
    const std::function<bool(const std::string&)>& is_constant);

class ProbeChecker {
 public:
  ProbeChecker(const frontend::ProbeDecl& probe, const ProbeTarget& target,
               const CheckOptions& options, const Constants& constants,
               const Defs& defs, frontend::DiagnosticSink& diagnostics,
               mir::Module* module,
               mir::Function* function);

  // Checks the closure body into `function`. Returns false on any error.
  bool Run();

 private:
  // Statements (check_statements.cpp).
  void CheckBlock(const frontend::Block& block);
  void CheckStatement(const frontend::Stmt& statement);
  void CheckLet(const frontend::LetStmt& let);
  void CheckAssign(const frontend::AssignStmt& assign);
  bool CheckAnnotation(const frontend::LetStmt& let, const CheckedValue& value);
  std::optional<CheckedValue> ReadVariable(const frontend::VariableExpr& variable);
  void CheckIf(const frontend::IfExpr& if_statement);
  void CheckPipeline(const frontend::PipelineStmt& pipeline);

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

  // `print` (check_print.cpp).
  bool CheckPrint(const frontend::CommandCall& call,
                  std::optional<CheckedValue> input);
  bool AddPrintValue(const CheckedValue& value, mir::EventLayout* layout,
                     mir::Instruction* emit, uint32_t* offset);
  bool AddPrintInterpolation(const frontend::InterpolationExpr& interpolation,
                             mir::EventLayout* layout, mir::Instruction* emit,
                             uint32_t* offset);

  // `def` calls, `return` and `$in` (check_calls.cpp).
  std::optional<CheckedValue> CheckDefCall(const frontend::CommandCall& call,
                                           const frontend::DefDecl& def,
                                           std::optional<CheckedValue> input);
  bool BindArguments(const frontend::CommandCall& call,
                     const frontend::DefDecl& def,
                     std::map<std::string, CheckedValue>* parameters);
  bool BindParameter(const frontend::CommandCall& call,
                     const frontend::DefDecl& def, const frontend::Param& param,
                     const frontend::Expr* argument, bool switch_given,
                     std::map<std::string, CheckedValue>* parameters);
  std::optional<CheckedValue> CheckDefBody(const frontend::Block& body);
  std::optional<CheckedValue> FinishDefCall(const frontend::CommandCall& call,
                                            std::optional<CheckedValue> value);
  bool CheckRecursion(const frontend::CommandCall& call,
                      const frontend::DefDecl& def);
  void CheckReturn(const frontend::ReturnStmt& statement);
  void StoreResult(const CheckedValue& value, frontend::Span span,
                   bool from_branch);
  void CheckFinalIf(const frontend::IfExpr& if_expr);
  std::optional<CheckedValue> ReadInput(const frontend::VariableExpr& variable);
  CheckedValue EventValue(const std::string& name, frontend::Span span);
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
  void ReportWholeEvent(const CheckedValue& value);
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
  const Defs& defs_;
  frontend::DiagnosticSink& diagnostics_;
  mir::Module* module_;
  mir::Function* function_;
  mir::BlockId current_block_ = 0;
  // `let` bindings, innermost scope last.
  std::vector<std::map<std::string, CheckedValue>> scopes_;
  // The `def` calls being inlined, innermost last; empty in the probe body.
  std::vector<InlineFrame> frames_;
  // Commands whose body had errors at an earlier call, which later calls
  // do not check again, so that each error is reported once.
  std::set<const frontend::DefDecl*> failed_defs_;
};

}  // namespace nubpf::compiler
