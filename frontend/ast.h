// The syntax tree of a probe file: what the parser read, with spans, before
// any name or type is resolved. Nodes own their children.
//
//   probe tracepoint:syscalls:sys_enter_openat {|e|
//     emit {pid: $e.pid, file: $e.filename}
//   }
//
// parses to a File with one ProbeDecl whose body contains one PipelineStmt with
// one CommandCall (`emit`) whose argument is a RecordExpr.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "frontend/source.h"

namespace nubpf::frontend {

// ---------------------------------------------------------------------------
// Base nodes

enum class ExprKind {
  kInt,            // 42, 0x2a, 5ms, 4kib
  kString,         // "text", 'text', `text`, r#'text'#
  kBool,           // true, false
  kNull,           // null
  kVariable,       // $e, $count, $in
  kField,          // $e.filename: a cell path step on any expression
  kUnary,          // not $x, -$x
  kBinary,         // $a + $b, $a == "x"
  kRecord,         // {pid: $e.pid, comm: $e.comm}
  kList,           // [1, 2, 3]
  kRange,          // 1..5, 0..<$n, 1..3..9
  kInterpolation,  // $"pid=($e.pid)"
  kIf,             // if $c { 1 } else { 2 }
  kMatch,          // match $x { 1 => "one", _ => "other" }
  kPipeline,       // ($e.comm | str length), or a `let` value with commands
};

struct Expr {
  explicit Expr(ExprKind kind, Span span) : kind(kind), span(span) {}
  virtual ~Expr() = default;

  const ExprKind kind;
  Span span;
};

using ExprPtr = std::unique_ptr<Expr>;

enum class StmtKind {
  kLet,       // let, mut and const
  kAssign,    // $x = 1, $x += 1
  kFor,       // for x in 1..5 { }
  kWhile,     // while $i < 5 { }
  kLoop,      // loop { }
  kBreak,     // break
  kContinue,  // continue
  kReturn,    // return, return $x
  kPipeline,  // count, $e.comm | count, and `if` and `match` as statements
};

struct Stmt {
  explicit Stmt(StmtKind kind, Span span) : kind(kind), span(span) {}
  virtual ~Stmt() = default;

  const StmtKind kind;
  Span span;
};

using StmtPtr = std::unique_ptr<Stmt>;

// `{ statements }`. As in Nushell, a block's last statement that is a plain
// expression is the block's value.
struct Block {
  Span span;
  std::vector<StmtPtr> statements;
};

// ---------------------------------------------------------------------------
// Expressions

// An integer, or a duration or file size folded to nanoseconds or bytes:
// `5ms` has the value 5000000 and the unit "ms".
struct IntExpr : Expr {
  IntExpr(Span span, uint64_t value, std::string unit = "")
      : Expr(ExprKind::kInt, span), value(value), unit(std::move(unit)) {}
  uint64_t value;
  // Empty for a plain integer. Otherwise the unit in lowercase, as Nushell
  // spells it (`ns us ms sec min hr day wk` or `b kb ... kib ...`), so
  // `µs` is "us" and `10KiB` has the unit "kib".
  std::string unit;
};

struct StringExpr : Expr {
  StringExpr(Span span, std::string value)
      : Expr(ExprKind::kString, span), value(std::move(value)) {}
  // The value after escapes are resolved.
  std::string value;
};

struct BoolExpr : Expr {
  BoolExpr(Span span, bool value) : Expr(ExprKind::kBool, span), value(value) {}
  bool value;
};

struct NullExpr : Expr {
  explicit NullExpr(Span span) : Expr(ExprKind::kNull, span) {}
};

struct VariableExpr : Expr {
  VariableExpr(Span span, std::string name)
      : Expr(ExprKind::kVariable, span), name(std::move(name)) {}
  // The name without its `$`.
  std::string name;
};

// One member of a cell path: `$e.pid`, `$list.0`, `$r.a?`.
struct FieldExpr : Expr {
  FieldExpr(Span span, ExprPtr base, std::string field, Span field_span)
      : Expr(ExprKind::kField, span),
        base(std::move(base)),
        field(std::move(field)),
        field_span(field_span) {}
  ExprPtr base;
  // The member as written, without quotes: "pid", or "0" for `$list.0`.
  std::string field;
  Span field_span;
  // Set for a member written as a decimal integer, such as `$list.0`.
  std::optional<uint64_t> index;
  // True for `$r.a?`, which gives null in place of an error when `a` is
  // missing.
  bool optional = false;
};

enum class UnaryOp { kNot, kNegate };

struct UnaryExpr : Expr {
  UnaryExpr(Span span, UnaryOp op, ExprPtr operand)
      : Expr(ExprKind::kUnary, span), op(op), operand(std::move(operand)) {}
  UnaryOp op;
  ExprPtr operand;
};

enum class BinaryOp {
  kAdd,
  kSubtract,
  kMultiply,
  kDivide,
  kFloorDivide,
  kModulo,
  kPower,
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kRegexMatch,
  kNotRegexMatch,
  kIn,
  kNotIn,
  kStartsWith,
  kEndsWith,
  kBitAnd,
  kBitOr,
  kBitXor,
  kShiftLeft,
  kShiftRight,
  kAnd,
  kOr,
  kXor,
};

// Returns the operator as written in Nushell, such as `+` or `bit-and`.
const char* BinaryOpSpelling(BinaryOp op);

struct BinaryExpr : Expr {
  BinaryExpr(Span span, BinaryOp op, Span op_span, ExprPtr lhs, ExprPtr rhs)
      : Expr(ExprKind::kBinary, span),
        op(op),
        op_span(op_span),
        lhs(std::move(lhs)),
        rhs(std::move(rhs)) {}
  BinaryOp op;
  Span op_span;
  ExprPtr lhs;
  ExprPtr rhs;
};

struct RecordField {
  std::string name;
  Span name_span;
  ExprPtr value;
};

struct RecordExpr : Expr {
  explicit RecordExpr(Span span) : Expr(ExprKind::kRecord, span) {}
  std::vector<RecordField> fields;
};

struct ListExpr : Expr {
  explicit ListExpr(Span span) : Expr(ExprKind::kList, span) {}
  std::vector<ExprPtr> elements;
};

// `start..end` (end included), `start..<end` (end excluded) and
// `start..next..end`, whose step is `next - start`. `start..` has no end.
// `..=` is Nushell's other spelling of `..`.
struct RangeExpr : Expr {
  explicit RangeExpr(Span span) : Expr(ExprKind::kRange, span) {}
  ExprPtr start;
  ExprPtr next;  // null without a step
  ExprPtr end;   // null for an open end
  bool inclusive = true;
};

// One part of an interpolated string: literal text or an expression in
// parentheses. Exactly one of `text` and `expr` is used: `expr` is null for
// text.
struct InterpolationPart {
  std::string text;
  ExprPtr expr;
  Span span;
};

// `$"pid=($e.pid)"`. The text parts have their escapes resolved, and
// `$'...'` has none.
struct InterpolationExpr : Expr {
  explicit InterpolationExpr(Span span)
      : Expr(ExprKind::kInterpolation, span) {}
  std::vector<InterpolationPart> parts;
};

// `if cond { ... } else if cond { ... } else { ... }`, as a statement or a
// value. An `else if` is an `else_block` whose only statement is a
// PipelineStmt whose only element is the nested IfExpr.
struct IfExpr : Expr {
  IfExpr(Span span, ExprPtr condition, Block then_block)
      : Expr(ExprKind::kIf, span),
        condition(std::move(condition)),
        then_block(std::move(then_block)) {}
  ExprPtr condition;
  Block then_block;
  std::unique_ptr<Block> else_block;  // null without `else`
};

enum class PatternKind {
  kWildcard,      // _
  kLiteral,       // 1, "text", true, null, 5ms, -1
  kRange,         // 4..9
  kAlternatives,  // 2 | 3
  kBinding,       // $v, which matches anything and names it
};

struct Pattern {
  PatternKind kind = PatternKind::kWildcard;
  ExprPtr value;  // the literal or the RangeExpr
  std::vector<Pattern> alternatives;
  std::string name;  // the binding, without `$`
  Span span;
};

// `PATTERN [if GUARD] => VALUE-OR-BLOCK`. A value such as `"one"` in
// `1 => "one"` becomes a Block with one PipelineStmt.
struct MatchArm {
  Pattern pattern;
  ExprPtr guard;  // null without `if`
  Block body;
  Span span;
};

struct MatchExpr : Expr {
  MatchExpr(Span span, ExprPtr subject)
      : Expr(ExprKind::kMatch, span), subject(std::move(subject)) {}
  ExprPtr subject;
  std::vector<MatchArm> arms;
};

// ---------------------------------------------------------------------------
// Pipelines and commands

// One argument of a command call: positional (`flag` empty) or a flag with an
// optional value (`--by $e.comm`, `--linear`). The parser does not know which
// flags take a value, so a flag followed by a value on the same line takes
// it: `histogram --linear $x` reads `$x` as the value of `--linear`, and the
// checker, which has each command's flag table, moves it back to a positional.
// A bare word as a positional argument is a string, as in Nushell.
struct Argument {
  Span span;
  std::string flag;  // without the leading `--` or `-`
  ExprPtr value;     // null for a flag without a value
  bool is_short = false;  // written `-o` in place of `--optional`

  // Returns the flag as written, such as `--optional` or `-o`.
  std::string FlagSpelling() const { return (is_short ? "-" : "--") + flag; }
};

// A command by name, as Nushell reads `emit {..}` or `count`. The checker
// resolves the name against its table of commands. A subcommand is part of
// the name, joined by one space: `str starts-with "/tmp"` has the name
// `str starts-with` and one positional argument.
struct CommandCall {
  std::string name;
  Span name_span;
  Span span;
  std::vector<Argument> arguments;
  // True for the original proposal's spelling `send($x)` or `count()`, whose
  // arguments are all positional.
  bool call_form = false;
};

// One element of a pipeline: an expression (only as the first element) or a
// command call.
struct PipelineElement {
  ExprPtr expr;                          // set when this element is a value
  std::unique_ptr<CommandCall> command;  // set when it is a command
  Span span;
};

// A pipeline used as a value: a parenthesized subexpression such as
// `($e.comm | str length)` or `(count)`, or the value of
// `let n = $e.comm | str length`. A parenthesized or `let` value that is a
// lone expression, such as `($a + 1)`, is that expression instead.
struct PipelineExpr : Expr {
  explicit PipelineExpr(Span span) : Expr(ExprKind::kPipeline, span) {}
  std::vector<PipelineElement> elements;
};

// ---------------------------------------------------------------------------
// Statements

enum class LetKind { kLet, kMut, kConst };

// `let name = value`, `mut name: type = value` or `const NAME = value`.
struct LetStmt : Stmt {
  LetStmt(Span span, std::string name, Span name_span, ExprPtr value)
      : Stmt(StmtKind::kLet, span),
        name(std::move(name)),
        name_span(name_span),
        value(std::move(value)) {}
  LetKind kind = LetKind::kLet;
  std::string name;
  Span name_span;
  // The annotation as written, such as "int" or "list<int>", or empty.
  std::string type_name;
  Span type_span;
  ExprPtr value;
};

enum class AssignOp { kSet, kAdd, kSubtract, kMultiply, kDivide };

// Returns the operator as written, such as `=` or `+=`.
const char* AssignOpSpelling(AssignOp op);

// `$name = value` or `$name += value` on a `mut` variable.
struct AssignStmt : Stmt {
  AssignStmt(Span span, std::string name, Span name_span, AssignOp op,
             Span op_span, ExprPtr value)
      : Stmt(StmtKind::kAssign, span),
        name(std::move(name)),
        name_span(name_span),
        op(op),
        op_span(op_span),
        value(std::move(value)) {}
  std::string name;  // without `$`
  Span name_span;
  AssignOp op;
  Span op_span;
  ExprPtr value;
};

// `for variable in iterable { body }`.
struct ForStmt : Stmt {
  ForStmt(Span span, std::string variable, Span variable_span, ExprPtr iterable,
          Block body)
      : Stmt(StmtKind::kFor, span),
        variable(std::move(variable)),
        variable_span(variable_span),
        iterable(std::move(iterable)),
        body(std::move(body)) {}
  std::string variable;  // without `$`
  Span variable_span;
  ExprPtr iterable;
  Block body;
};

struct WhileStmt : Stmt {
  WhileStmt(Span span, ExprPtr condition, Block body)
      : Stmt(StmtKind::kWhile, span),
        condition(std::move(condition)),
        body(std::move(body)) {}
  ExprPtr condition;
  Block body;
};

struct LoopStmt : Stmt {
  LoopStmt(Span span, Block body)
      : Stmt(StmtKind::kLoop, span), body(std::move(body)) {}
  Block body;
};

// `break` and `continue`, which carry nothing but their kind and span.
struct JumpStmt : Stmt {
  JumpStmt(StmtKind kind, Span span) : Stmt(kind, span) {}
};

struct ReturnStmt : Stmt {
  ReturnStmt(Span span, ExprPtr value)
      : Stmt(StmtKind::kReturn, span), value(std::move(value)) {}
  ExprPtr value;  // null for a bare `return`
};

// `value | command | command` or a lone command such as `count`. An `if` or
// `match` in statement position is a pipeline whose only element is the
// IfExpr or MatchExpr.
struct PipelineStmt : Stmt {
  explicit PipelineStmt(Span span) : Stmt(StmtKind::kPipeline, span) {}
  std::vector<PipelineElement> elements;
};

// ---------------------------------------------------------------------------
// Top level

// `probe tracepoint:syscalls:sys_enter_openat {|e| ... }`, or the original
// proposal's `bpf_probe kernel:function("f") {|e| ... }` and
// `bpf_tracepoint CATEGORY:NAME {|e| ... }`.
struct ProbeDecl {
  Span span;
  // The target in the `probe` spelling: as written after `probe`,
  // `kernel:function:f` for `bpf_probe kernel:function("f")`, and
  // `tracepoint:CATEGORY:NAME` for `bpf_tracepoint CATEGORY:NAME`.
  std::string target;
  // The target as written.
  Span target_span;
  // The closure's parameter without `$`; empty for `{ ... }` without `|e|`.
  std::string parameter;
  Span parameter_span;
  Block body;
};

// One parameter of `def`: `name: type = default` or
// `--name (-n): type = default`.
struct Param {
  std::string name;  // without `$` or `--`
  Span span;
  bool is_flag = false;
  // The short form of a flag without its `-`, as in `--verbose (-v)`; empty
  // without one.
  std::string short_name;
  // True for a positional written `name?`, which may be left out.
  bool optional = false;
  std::string type_name;  // empty without an annotation
  ExprPtr default_value;  // null without a default
};

// `def name [params] { body }` at the top level. For `def main`, the body
// contains only `const` statements: the probes written in it are in
// File::probes, and its flags become load-time parameters.
struct DefDecl {
  std::string name;
  Span name_span;
  std::vector<Param> params;
  Block body;
  Span span;
  // True for `export def`, which `use FILE.nu *` imports from a module.
  bool exported = false;
  // The offset ranges of the files whose code may call the command: its
  // own file and the files that import it (frontend/modules.h). Empty
  // means every file.
  std::vector<Span> callable_in;

  bool CallableAt(uint32_t offset) const {
    if (callable_in.empty()) return true;
    for (const Span& range : callable_in) {
      if (offset >= range.begin && offset < range.end) return true;
    }
    return false;
  }
};

// `use MODULE`, `use MODULE *` or `use MODULE [a b]`. A probe file may start
// with `use nubpf *` so that Nushell's own parser finds the probe commands.
// The compiler keeps the declaration and otherwise ignores it.
struct UseDecl {
  std::string module;
  Span module_span;
  bool all_members = false;          // `*`
  std::vector<std::string> members;  // named members, in order
  Span span;
};

struct File {
  std::vector<UseDecl> uses;
  std::vector<std::unique_ptr<LetStmt>> constants;  // top-level `const`
  std::vector<std::unique_ptr<LetStmt>> globals;    // top-level `mut`
  std::vector<DefDecl> defs;
  std::vector<ProbeDecl> probes;
};

}  // namespace nubpf::frontend
