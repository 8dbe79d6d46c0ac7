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
#include "compiler/loop_bound.h"
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
  // For the variable of `for $x in A..B`: a read-only view of the loop's
  // counter local.
  bool is_loop_variable = false;
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
  void CheckAssign(const frontend::AssignStmt& assign);
  bool CheckAnnotation(const frontend::LetStmt& let, const CheckedValue& value);
  std::optional<CheckedValue> ReadVariable(const frontend::VariableExpr& variable);
  void CheckIf(const frontend::IfExpr& if_statement);
  void CheckPipeline(const frontend::PipelineStmt& pipeline);
  bool IsConstantName(const std::string& name) const;

  // Loops, `break`, `continue` and `return` (check_loops.cpp).
  void CheckFor(const frontend::ForStmt& loop);
  void CheckRangeLoop(const frontend::ForStmt& loop,
                      const frontend::RangeExpr& range);
  void CheckListLoop(const frontend::ForStmt& loop,
                     const frontend::ListExpr& list);
  void CheckWhile(const frontend::WhileStmt& loop);
  void CheckLoop(const frontend::LoopStmt& loop);
  void CheckJump(const frontend::JumpStmt& jump);
  void CheckReturn(const frontend::ReturnStmt& statement);
  std::optional<int64_t> ConstantInt(const frontend::Expr& expr,
                                     const std::string& what);
  std::optional<uint64_t> BoundCounterLoop(const CounterLoop& loop,
                                           std::string* reason);
  void ReportUnboundedLoop(frontend::Span keyword, frontend::Span part,
                           const std::string& reason, const char* help);
  bool EnterLoop(uint64_t trips, frontend::Span span,
                 mir::BlockId continue_target, mir::BlockId break_target,
                 bool unrolled = false);
  void LeaveLoop();
  void NoteStringWalk(const mir::Instruction& instruction);
  void CheckLoopBody(const frontend::Block& body);
  mir::ValueId ConstantI64(int64_t value, frontend::Span span);
  mir::ValueId LoadCounter(int32_t local, frontend::Span span);
  void StoreCounter(int32_t local, mir::ValueId value, frontend::Span span);
  void JumpTo(mir::BlockId target);
  void StartUnreachableBlock();

  // The values of `mut` locals known at compile time (check_mut_values.cpp).
  void DeclareLocal(int32_t local, const CheckedValue& value);
  void NoteStore(int32_t local, frontend::AssignOp op, const CheckedValue& value);
  void ForgetAssignedLocals(const frontend::Block& body);
  std::optional<int64_t> KnownLocalValue(const std::string& name) const;
  const CheckedValue* FindBinding(const std::string& name) const;

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

  // The loops around the statement being checked, innermost last.
  struct EnclosingLoop {
    mir::BlockId continue_target;
    mir::BlockId break_target;
    // This loop's trips times those of the loops around it.
    uint64_t iterations;
    // How many times an instruction appended in the body runs: like
    // `iterations`, but an unrolled `for` over a list counts 1, because it
    // appends the body once per element.
    uint64_t runs;
  };
  std::vector<EnclosingLoop> loops_;
  // The hidden counter locals of range loops, by nesting depth, and how
  // many range loops enclose the statement being checked.
  std::vector<int32_t> counter_locals_;
  size_t active_range_loops_ = 0;
  // How many `if` branches and loop bodies enclose the statement being
  // checked, and the depth at which each `mut` local was declared.
  int control_depth_ = 0;
  std::vector<int> local_depths_;
  // The `mut` locals whose value at this point is known at compile time:
  // after `mut i = 0` or `$i = 5` in straight-line code, and never after a
  // store in a branch or a loop.
  std::map<int32_t, int64_t> known_locals_;
  // The instructions the verifier walks for string commands in loops, as
  // estimated by NoteStringWalk.
  uint64_t string_walk_estimate_ = 0;
};

}  // namespace nubpf::compiler
