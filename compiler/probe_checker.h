// Checks one probe's closure and builds its MIR function. Internal to the
// checker: the check_*.cpp files implement it, one part of the language
// each, as the comments on the declarations below name them.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
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

// A struct, union or array in kernel memory that a cell path has reached
// but not read: `$e.task.se` is the `struct sched_entity` inside the task,
// and `.vruntime` after it reads one member with a single CO-RE access.
struct KernelObject {
  // The address where `access` starts: a kernel pointer or a u64.
  mir::ValueId base = mir::kNoValue;
  mir::CoreAccess access;
  // The BTF type that `access` reaches, after KernelBtf::Resolve, and its
  // C name for messages.
  uint32_t btf_id = 0;
  std::string type_name;
};

// An expression's value while checking. Integer and string literals stay
// unmaterialised until a use gives their type, as untyped constants do in
// Go: in `$e.pid == 1` the 1 becomes a u32, and `$e.comm == "sh"` compares
// with the literal's bytes instead of a copy of them. Records, lists and
// null exist only while checking: each field or element is a value of its
// own, and a comparison with null folds to a constant.
struct CheckedValue {
  // kNothing is what a command such as `emit` returns, which no expression
  // may use; kNull is the value `null`, which `default` and `== null` take.
  // kEvent is the probe record itself (`$e`, or `$in` in a probe body),
  // whose fields are read only where a cell path names them.
  // kKernelObject is a struct, union or array in `kernel`. kOptional is a
  // value that is null on kernels without a member that `?` named: the
  // value is elements[0], and `present` is true where it exists.
  enum class Shape {
    kScalar, kNothing, kRecord, kList, kNull, kEvent, kKernelObject, kOptional
  };
  Shape shape = Shape::kScalar;
  mir::ValueId id = mir::kNoValue;
  mir::Type type;
  bool is_literal = false;  // an integer literal in `literal`
  int64_t literal = 0;
  // Set for integers computed from durations or file sizes.
  mir::Unit unit = mir::Unit::kNone;
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
  // kKernelObject: where the object is.
  KernelObject kernel;
  // kOptional: a bool that is true when the value exists.
  mir::ValueId present = mir::kNoValue;
  // An int read from a kernel enum: the enum's BTF id, so that `==` can
  // compare it with an enumerator's name.
  uint32_t kernel_enum = 0;
  // For a `mut` variable's binding: the MIR local that contains its value,
  // which each read loads again.
  int32_t local = -1;
  // The binding of a `let` or `mut` whose value had an error: reads of it
  // report nothing more.
  bool is_error = false;
  // For the variable of `for $x in A..B`: a read-only view of the loop's
  // counter local.
  bool is_loop_variable = false;
  frontend::Span span;

  bool IsString() const {
    return is_string_literal ||
           (shape == Shape::kScalar && type.kind == mir::TypeKind::kString);
  }
  // Returns the bytes a string value needs, its NUL included: a literal's
  // length plus 1, or the capacity of a string read at run time.
  uint32_t StringCapacity() const {
    return is_string_literal ? static_cast<uint32_t>(text.size()) + 1 : type.capacity;
  }
  // Describes the value's type for messages: `int`, `u32`, `string`.
  std::string TypeName() const;
  // Returns the type name in backticks with its article: a `u32`, an `i64`.
  std::string Described() const;
};

// Returns the compile-time value `null`.
CheckedValue NullValue(frontend::Span span);

// True for the values whose members CheckKernelPath reads: kernel
// pointers and objects, and optional values.
bool FollowsKernelMembers(const CheckedValue& value);

// True for a pointer value, into kernel or user memory.
bool IsPointerValue(const CheckedValue& value);

// True when `==` on these operands compares pointers, or a kernel enum
// with an enumerator's name.
bool IsKernelComparison(const CheckedValue& lhs, const CheckedValue& rhs);

// One member of a cell path: `.pid`, `.0` or `.size?`, written after a
// value or given to `get`.
struct CellPathMember {
  std::string name;
  std::optional<uint64_t> index;  // set for a member written as an integer
  bool optional = false;          // `?`, or every member under `get -o`
  frontend::Span span;
};

// Top-level `const` values by name, checked again where a probe reads
// them: they are literals, or operators on literals and earlier constants.
using Constants = std::map<std::string, const frontend::Expr*>;

// True when `value` has the type `type_name` of an annotation or a
// parameter, such as `int` or `list<string>`, where no name means any type.
// Returns nullopt for a type that a probe does not have.
std::optional<bool> ValueHasType(const std::string& type_name,
                                 const CheckedValue& value);

// The file's `def` commands by name, without `def main`. A call inlines
// the body at the call site.
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
  // The kind of value the early `return`s give: none seen yet, nothing
  // (a bare `return`), or an int, a bool or a string in `result_local`.
  enum class Returns { kNone, kNothing, kInt, kBool, kString };
  Returns returns = Returns::kNone;
  int32_t result_local = -1;
  // Set once a branch of a final `if` gave a type that cannot join, so
  // that the other branches do not repeat the error.
  bool reported_branch_type = false;
  // How many loops enclose the call: `break` and `continue` in the body
  // cannot reach them.
  size_t loop_depth = 0;
};
// The flags of one aggregation site, as written (check_aggregations.cpp).
struct AggregationFlags {
  const frontend::Expr* by = nullptr;
  std::string as;
  frontend::Span as_span;
  const frontend::Expr* max_entries = nullptr;
  bool lru = false;
  frontend::Span lru_span;
  // `--linear MIN MAX STEP`: the flag's value, then two positionals.
  std::vector<const frontend::Expr*> linear;
  frontend::Span linear_span;
};

// Names the aggregations of a checked module and gives the ones that can
// drop a key their `nubpf_drops` slots (aggregation_maps.cpp).
void AssignAggregationNames(mir::Module* module);

// True when `expr` is known at compile time: literals, `null`, lists of
// constants, and operators on literals and on the names for which
// `is_constant` holds.
bool IsCompileTimeConstant(
    const frontend::Expr& expr,
    const std::function<bool(const std::string&)>& is_constant);

// The arguments of a store or timer command: `store get NAME --key KEY
// --max-entries N`. Timers without NAME use the store `timer`.
struct StoreArguments {
  std::string name;
  frontend::Span name_span;
  const frontend::Argument* key = nullptr;
  std::optional<uint32_t> max_entries;
  frontend::Span max_entries_span;
};

// The unit of a literal's suffix: `ms` and the other time units make a
// duration, `kb`, `kib` and the other size units a file size.
mir::Unit UnitOf(const std::string& suffix);

// Names the Nushell type of an int with `unit`: `int`, `duration` or
// `filesize`.
const char* UnitTypeName(mir::Unit unit);
// Returns that name in backticks with its article: an `int`, a `duration`.
std::string DescribeUnit(mir::Unit unit);

// Returns the zero literal of an int with `unit`, for help text: `0`,
// `0ns` or `0b`.
const char* ZeroLiteral(mir::Unit unit);

// Checks the top-level `mut` declarations into `out->globals`. Reports
// each problem and returns false if there was one.
bool CheckGlobals(const frontend::File& file, const Constants& constants,
                  frontend::DiagnosticSink& diagnostics, mir::Module* out);

// Returns the global `name` and sets `index` to its index, or returns null.
const mir::Global* FindGlobal(const mir::Module& module, const std::string& name,
                              uint32_t* index);

// Reads a global's literal into `global`: an int, a duration, a file size
// (each possibly negated) or a bool. Returns false for any other value.
bool ReadGlobalLiteral(const frontend::Expr& value, mir::Global* global);

// Checks the flags of `def main` into `out->parameters`, strings with
// `string_capacity` bytes. Reports each problem and returns false if there
// was one (check_parameters.cpp).
bool CheckParameters(const frontend::DefDecl& main, const Constants& constants,
                     uint32_t string_capacity, frontend::DiagnosticSink& diagnostics,
                     mir::Module* out);

// Returns the parameter that probes read as `$variable` and sets `index` to
// its index, or returns null.
const mir::Parameter* FindParameter(const mir::Module& module, const std::string& variable,
                                    uint32_t* index);

// The variable of a `def` parameter: Nushell binds `--min-bytes` to
// `$min_bytes`.
std::string VariableName(const frontend::Param& param);

// Finishes the stores once every probe is checked: checks that each read
// store has a set and that no store takes another map's, global's or
// program's name, and numbers their `nubpf_drops` slots. Reports each
// problem and returns false if there was one.
bool FinishStores(mir::Module* module, frontend::DiagnosticSink& diagnostics);

class ProbeChecker {
 public:
  ProbeChecker(const frontend::ProbeDecl& probe, const ProbeTarget& target,
               const CheckOptions& options, TargetEnvironment& environment,
               const Constants& constants,
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
  bool BindLet(const frontend::LetStmt& let);
  void CheckAssign(const frontend::AssignStmt& assign);
  bool CheckAnnotation(const frontend::LetStmt& let, const CheckedValue& value);
  std::optional<CheckedValue> ReadVariable(const frontend::VariableExpr& variable);
  void CheckPipeline(const frontend::PipelineStmt& pipeline);
  bool IsConstantName(const std::string& name) const;

  // Loops, `break`, `continue` and `return` (check_loops.cpp).
  void CheckFor(const frontend::ForStmt& loop);
  void CheckRangeLoop(const frontend::ForStmt& loop,
                      const frontend::RangeExpr& range);
  void CheckListLoop(const frontend::ForStmt& loop,
                     const std::vector<CheckedValue>& elements);
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
  bool NoteStringJumps(const mir::Instruction& instruction);
  void CheckJumpBudget();
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
  void ReportIfWithoutElse(const frontend::IfExpr& if_expr);
  std::optional<CheckedValue> CheckMatchSubject(const frontend::Expr& subject);
  std::optional<mir::ValueId> CheckPattern(const frontend::Pattern& pattern,
                                           const CheckedValue& subject);
  std::optional<mir::ValueId> CheckRangePattern(
      const frontend::RangeExpr& range, const CheckedValue& subject);
  std::optional<CheckedValue> CheckBranch(const frontend::Block& block,
                                          bool want_value, const char* what);
  std::optional<CheckedValue> CheckBranchBlock(const frontend::Block& block,
                                               bool want_value,
                                               bool may_give_nothing,
                                               const char* what);
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
  uint32_t AddEvent(mir::EventLayout layout);

  // Aggregations (check_aggregations.cpp).
  bool CheckAggregation(const frontend::CommandCall& call, Command command,
                        std::optional<CheckedValue> input);
  std::optional<AggregationFlags> ReadAggregationFlags(const frontend::CommandCall& call,
                                                       Command command);
  std::optional<int64_t> AggregationConstant(const frontend::Expr& expr,
                                             const std::string& what,
                                             const std::string& help);
  bool ReadLinearParameters(const std::vector<const frontend::Expr*>& values,
                            frontend::Span span, mir::Aggregation* aggregation);
  bool AddAggregationKey(const CheckedValue& key, const std::string& command,
                         mir::Aggregation* aggregation, mir::Instruction* update);
  std::optional<mir::ValueId> AggregationValue(const frontend::CommandCall& call,
                                               const CheckedValue& value,
                                               mir::Aggregation* aggregation);
  // aggregation_maps.cpp.
  std::optional<uint32_t> AddAggregation(mir::Aggregation aggregation);
  std::optional<CheckedValue> CheckStringCommand(
      const frontend::CommandCall& call, Command command,
      const CheckedValue& input);
  std::optional<CheckedValue> CheckSubstring(const frontend::CommandCall& call,
                                             mir::ValueId operand,
                                             uint32_t capacity);
  std::optional<CheckedValue> CheckInto(const frontend::CommandCall& call,
                                        const CheckedValue& input);
  std::optional<CheckedValue> CheckIntoUnit(const frontend::CommandCall& call,
                                            const CheckedValue& input, mir::Unit unit);
  // `ADDRESS | read-user-string` (check_user_strings.cpp): the string at an
  // address in the memory of the process the probe fires in.
  std::optional<CheckedValue> CheckReadUserString(const frontend::CommandCall& call,
                                                  const std::optional<CheckedValue>& input);

  // `print` (check_print.cpp).
  // `input_expr` is an interpolated string piped into `print`, which is
  // checked as the first argument would be.
  bool CheckPrint(const frontend::CommandCall& call,
                  std::optional<CheckedValue> input,
                  const frontend::Expr* input_expr = nullptr);
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
  void CheckProbeReturn(const frontend::ReturnStmt& statement);
  void StoreResult(const CheckedValue& value, frontend::Span span,
                   bool from_branch);
  bool FitsResult(const CheckedValue& value);
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
  // The probe record (check_probe_fields.cpp). Reads one field of the probe record, which the source names
  // `$variable`. A missing field is an error, or null when
  // `member.optional` is set.
  std::optional<CheckedValue> CheckEventField(const CellPathMember& member,
                                              frontend::Span span,
                                              const std::string& variable);
  void ReportWholeEvent(const CheckedValue& value);
  std::optional<CheckedValue> CheckTracepointField(
      const CellPathMember& member, frontend::Span span,
      const TracepointField& info);
  std::optional<CheckedValue> ReadTracepointArray(frontend::Span span,
                                                  const TracepointField& info);
  // Completes `load` of a one-byte `bool` field into `value`, a bool.
  std::optional<CheckedValue> ReadBoolField(mir::Instruction load, CheckedValue value);
  const ProbeArgument* FindArgument(const std::string& name) const;
  std::optional<CheckedValue> CheckArgument(frontend::Span span, const std::string& name,
                                            const ProbeArgument& argument);
  std::optional<CheckedValue> CheckUserMemoryArgument(frontend::Span span,
                                                      const std::string& name,
                                                      const ProbeArgument& argument);
  void ReportUnknownField(const CellPathMember& member, const std::string& variable);

  // Stacks (check_stacks.cpp). ReadStack reads `$e.kstack` or `$e.ustack`;
  // RejectStack reports a stack used as `use` ("an operand of `+`") and
  // returns true, or returns false for any other value.
  CheckedValue ReadStack(mir::StackKind stack, const std::string& name,
                         frontend::Span span);
  bool RejectStack(const CheckedValue& value, const std::string& use);
  std::optional<CheckedValue> CheckUnary(const frontend::UnaryExpr& unary);
  std::optional<CheckedValue> CheckBinary(const frontend::BinaryExpr& binary);
  // `==` and `!=` on any two values; CheckIntegerOperator also takes the
  // other integer operators. Both fold literals.
  std::optional<CheckedValue> CheckEquality(frontend::BinaryOp op,
                                            const CheckedValue& lhs,
                                            const CheckedValue& rhs,
                                            frontend::Span op_span,
                                            frontend::Span span);
  std::optional<CheckedValue> CheckIntegerOperator(frontend::BinaryOp op,
                                                   const CheckedValue& lhs,
                                                   const CheckedValue& rhs,
                                                   frontend::Span span);
  std::optional<CheckedValue> CheckStringEquality(frontend::BinaryOp op,
                                                  const CheckedValue& lhs,
                                                  const CheckedValue& rhs,
                                                  frontend::Span op_span,
                                                  frontend::Span span);
  std::optional<CheckedValue> CheckCondition(const frontend::Expr& expr);

  // Operators that compile to several instructions (check_operators.cpp):
  // `**`, `in` and `not-in`, `starts-with` and `ends-with`, `=~` and `!~`.
  std::optional<CheckedValue> CheckPower(const frontend::BinaryExpr& binary);
  std::optional<CheckedValue> CheckMembership(const frontend::BinaryExpr& binary);
  std::optional<CheckedValue> CheckListMembership(
      const frontend::BinaryExpr& binary, const CheckedValue& value,
      const CheckedValue& list);
  std::optional<CheckedValue> CheckRangeMembership(
      const frontend::BinaryExpr& binary, const CheckedValue& value,
      const frontend::RangeExpr& range);
  std::optional<CheckedValue> CheckStringOperator(
      const frontend::BinaryExpr& binary);
  std::optional<CheckedValue> CheckRegexMatch(const frontend::BinaryExpr& binary);
  bool CheckStringOperands(const frontend::BinaryExpr& binary, const CheckedValue& lhs,
                           const CheckedValue& rhs, const std::string& help,
                           bool scalar_only);
  // A bool that tests a run-time string against a literal with `opcode`
  // (kStringContains and the like); `ignore_case` compares lower-case forms.
  std::optional<CheckedValue> SearchString(mir::Opcode opcode,
                                           const CheckedValue& text,
                                           std::string literal,
                                           bool ignore_case,
                                           frontend::Span span);
  CheckedValue MakeBool(bool value, frontend::Span span);
  CheckedValue Negate(const CheckedValue& condition);
  CheckedValue CombineBools(mir::BinaryOp op, const CheckedValue& lhs,
                            const CheckedValue& rhs);

  // Cell paths and `get` (check_cell_paths.cpp).
  std::optional<CheckedValue> CheckField(const frontend::FieldExpr& field);
  // Follows `members` from `root`, or from the probe record when `root` is
  // null. A missing optional member makes the whole path null, as in Nushell.
  std::optional<CheckedValue> CheckCellPath(const CheckedValue* root,
                                            const std::vector<CellPathMember>& members,
                                            frontend::Span span);
  std::optional<CheckedValue> CheckGet(const frontend::CommandCall& call,
                                       const CheckedValue* input);

  // Lists (check_lists.cpp).
  std::optional<CheckedValue> CheckList(const frontend::ListExpr& list);
  std::optional<CheckedValue> CheckListCommand(const frontend::CommandCall& call,
                                               Command command,
                                               const CheckedValue& input);
  // `==` and `!=` where either side is a list or a record: element by
  // element, or field by field in any order, as Nushell compares them.
  std::optional<CheckedValue> CheckCompositeEquality(frontend::BinaryOp op,
                                                     const CheckedValue& lhs,
                                                     const CheckedValue& rhs,
                                                     frontend::Span op_span,
                                                     frontend::Span span);

  // Kernel types through BTF, read with CO-RE: cell paths
  // (check_kernel_types.cpp), values from outside them and comparisons
  // (check_kernel_values.cpp), and `?` (check_kernel_optional.cpp).

  // Gives `raw`, a u64 the probe loaded from its context, the type that
  // kernel BTF type `btf_type_id` describes, looking through typedefs and
  // qualifiers: an int of that width and signedness, a bool, an enum
  // (which `==` compares with enumerator names), a pointer into `space`
  // whose members cell paths read with CO-RE, or for `char *` the string
  // it points to, read from `space`. `name` names the value in messages
  // and as an event field. Returns nullopt after reporting at `span` a
  // type that a probe cannot take, such as a float or a struct passed by
  // value.
  std::optional<CheckedValue> TypeKernelValue(mir::ValueId raw, uint32_t btf_type_id,
                                              mir::AddressSpace space,
                                              const std::string& name,
                                              frontend::Span span);
  // A tracepoint field declared `struct NAME *`, loaded as the u64 `value`:
  // a pointer to that struct when the kernel BTF has it, into user memory
  // in the `syscalls` category, whose pointers are system call arguments.
  // Other pointers, and every pointer when there is no kernel BTF to read,
  // stay u64 addresses.
  std::optional<CheckedValue> TypeTracepointPointer(CheckedValue value,
                                                    const std::string& declaration);
  // The type of a kernel pointer to the struct named `struct_name`, such
  // as the `task_struct` of `$e.task`.
  std::optional<mir::Type> KernelStructPointerType(const std::string& struct_name,
                                                   frontend::Span span);
  // Follows `members` from index `first` on, from a kernel pointer, a
  // kernel object or an optional value (FollowsKernelMembers).
  std::optional<CheckedValue> CheckKernelPath(CheckedValue value,
                                              std::vector<CellPathMember> members,
                                              size_t first, frontend::Span span);
  std::optional<CheckedValue> Dereference(const CheckedValue& pointer,
                                          const CellPathMember& member);
  std::optional<CheckedValue> AppendKernelMember(const CheckedValue& object,
                                                 const CellPathMember& member);
  std::optional<CheckedValue> ReadKernelObject(CheckedValue object,
                                               const CellPathMember& member,
                                               frontend::Span span);
  std::optional<CheckedValue> ReadKernelString(const CheckedValue& object,
                                               mir::Opcode opcode, uint32_t capacity,
                                               frontend::Span span);
  // `$a | get $i` on a kernel array, with an index computed at run time.
  std::optional<CheckedValue> CheckKernelIndex(const CheckedValue& array,
                                               const CheckedValue& index,
                                               frontend::Span span);
  // `==` and `!=` with a pointer, or with a kernel enum and a name.
  std::optional<CheckedValue> CheckKernelComparison(frontend::BinaryOp op,
                                                    const CheckedValue& lhs,
                                                    const CheckedValue& rhs,
                                                    frontend::Span op_span,
                                                    frontend::Span span);
  std::optional<CheckedValue> CheckEnumName(frontend::BinaryOp op,
                                            const CheckedValue& value,
                                            const CheckedValue& name,
                                            frontend::Span span);
  // A member that `?` made optional and that the kernel BTF has: the rest
  // of the path is read under a CO-RE field-exists check.
  std::optional<CheckedValue> CheckOptionalMember(const CheckedValue& object,
                                                  std::vector<CellPathMember> members,
                                                  size_t index, frontend::Span span);
  std::optional<CheckedValue> FollowOptional(const CheckedValue& optional,
                                             std::vector<CellPathMember> members,
                                             size_t first, frontend::Span span);
  // `== null` and `!= null` on a pointer or an optional value.
  std::optional<CheckedValue> CheckKernelNull(frontend::BinaryOp op,
                                              const CheckedValue& value,
                                              frontend::Span span);
  // `default` on an optional value.
  std::optional<CheckedValue> CheckOptionalDefault(const CheckedValue& optional,
                                                   const CheckedValue& fallback,
                                                   frontend::Span span);
  const KernelBtf* KernelTypes(frontend::Span span);

  // Keyed stores and timers (check_store.cpp).
  std::optional<CheckedValue> CheckStoreCommand(const frontend::CommandCall& call,
                                                Command command,
                                                std::optional<CheckedValue> input);
  std::optional<StoreArguments> ParseStoreArguments(const frontend::CommandCall& call,
                                                    Command command);
  bool CheckStoreKey(const frontend::Argument& argument, std::vector<mir::KeyField>* fields,
                     std::vector<mir::ValueId>* values);
  std::optional<uint32_t> UseStore(const StoreArguments& arguments,
                                   const std::vector<mir::KeyField>& key,
                                   const CheckedValue* value, bool is_timer_read,
                                   frontend::Span span);
  std::optional<CheckedValue> ReadStore(uint32_t store, const std::vector<mir::ValueId>& key,
                                        bool is_timer, frontend::Span span);
  // Globals: reads and updates of top-level `mut` (check_globals.cpp).
  std::optional<CheckedValue> ReadGlobal(const frontend::VariableExpr& variable);
  bool CheckGlobalAssign(const frontend::AssignStmt& assign);
  bool CheckGlobalUnit(const frontend::AssignStmt& assign, const mir::Global& global,
                       const CheckedValue& value);

  // Parameters: reads of the flags of `def main` (check_parameters.cpp).
  std::optional<CheckedValue> ReadParameter(const frontend::VariableExpr& variable);
  void RejectParameterAssign(const frontend::AssignStmt& assign);

  // Null (check_null.cpp).
  std::optional<CheckedValue> CheckNullComparison(frontend::BinaryOp op,
                                                  const CheckedValue& lhs,
                                                  const CheckedValue& rhs,
                                                  frontend::Span span);
  std::optional<CheckedValue> CheckDefault(const frontend::CommandCall& call,
                                           const CheckedValue& input);
  // Returns the variables bound to optional values that `condition` proves
  // not null when its result is `when_true`, each with its value.
  // `$t != null` proves `$t` when true and `$t == null` when false. `A and
  // B` proves what both sides prove when true, `A or B` what both prove
  // when false, and `not A` what A proves for the other result.
  std::map<std::string, CheckedValue> NarrowNull(const frontend::Expr& condition,
                                                 bool when_true) const;

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
  TargetEnvironment& environment_;
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
  // The bytes all string commands of the probe scan, each a jump that the
  // verifier follows, as NoteStringJumps estimates them.
  uint64_t string_jumps_ = 0;
  // How often each block runs per probe run, by the loops around it, and
  // the jumps that loop headers and back edges take (CheckJumpBudget).
  std::vector<uint64_t> block_runs_;
  uint64_t loop_jumps_ = 0;
  // Set while the branches of an `if` or a `match` that ends a `def` body
  // are checked: they may all give nothing, as a command's statements do.
  bool branches_may_give_nothing_ = false;
  uint64_t loop_jumps_heaviest_ = 0;
  frontend::Span heaviest_loop_span_;
};

}  // namespace nubpf::compiler
