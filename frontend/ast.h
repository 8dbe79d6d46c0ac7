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
#include <string>
#include <vector>

#include "frontend/source.h"

namespace nubpf::frontend {

// ---------------------------------------------------------------------------
// Expressions

enum class ExprKind {
  kInt,       // 42, 0x2a
  kString,    // "text", 'text'
  kBool,      // true, false
  kVariable,  // $e, $count
  kField,     // $e.filename: a cell path step on any expression
  kUnary,     // not $x, -$x
  kBinary,    // $a + $b, $a == "x"
  kRecord,    // {pid: $e.pid, comm: $e.comm}
  kPipeline,  // ($e.comm | str length), or a `let` value with commands
};

struct Expr {
  explicit Expr(ExprKind kind, Span span) : kind(kind), span(span) {}
  virtual ~Expr() = default;

  const ExprKind kind;
  Span span;
};

using ExprPtr = std::unique_ptr<Expr>;

struct IntExpr : Expr {
  IntExpr(Span span, uint64_t value) : Expr(ExprKind::kInt, span), value(value) {}
  uint64_t value;
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

struct VariableExpr : Expr {
  VariableExpr(Span span, std::string name)
      : Expr(ExprKind::kVariable, span), name(std::move(name)) {}
  // The name without its `$`.
  std::string name;
};

struct FieldExpr : Expr {
  FieldExpr(Span span, ExprPtr base, std::string field, Span field_span)
      : Expr(ExprKind::kField, span),
        base(std::move(base)),
        field(std::move(field)),
        field_span(field_span) {}
  ExprPtr base;
  std::string field;
  Span field_span;
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
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kAnd,
  kOr,
};

// Returns the operator as written in Nushell, such as `+` or `and`.
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

// ---------------------------------------------------------------------------
// Statements

// One argument of a command call: positional (`flag` empty) or a flag with an
// optional value (`--by $e.comm`, `--linear`). The parser does not know which
// flags take a value, so a flag followed by a value on the same line takes
// it: `histogram --linear $x` reads `$x` as the value of `--linear`, and the
// checker, which has each command's flag table, moves it back to a positional.
// A bare word as a positional argument is a string, as in Nushell.
struct Argument {
  Span span;
  std::string flag;  // without the leading `--`
  ExprPtr value;     // null for a flag without a value
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
};

// One element of a pipeline: an expression (only as the first element) or a
// command call.
struct PipelineElement {
  ExprPtr expr;                        // set when this element is a value
  std::unique_ptr<CommandCall> command;  // set when it is a command
  Span span;
};

enum class StmtKind { kLet, kIf, kPipeline };

struct Stmt {
  explicit Stmt(StmtKind kind, Span span) : kind(kind), span(span) {}
  virtual ~Stmt() = default;

  const StmtKind kind;
  Span span;
};

using StmtPtr = std::unique_ptr<Stmt>;

struct Block {
  Span span;
  std::vector<StmtPtr> statements;
};

// `let name = value`.
struct LetStmt : Stmt {
  LetStmt(Span span, std::string name, Span name_span, ExprPtr value)
      : Stmt(StmtKind::kLet, span),
        name(std::move(name)),
        name_span(name_span),
        value(std::move(value)) {}
  std::string name;
  Span name_span;
  ExprPtr value;
};

// `if cond { ... } else if cond { ... } else { ... }`; an `else if` is an
// IfStmt as the only statement of `else_block`.
struct IfStmt : Stmt {
  IfStmt(Span span, ExprPtr condition, Block then_block)
      : Stmt(StmtKind::kIf, span),
        condition(std::move(condition)),
        then_block(std::move(then_block)) {}
  ExprPtr condition;
  Block then_block;
  std::unique_ptr<Block> else_block;  // null without `else`
};

// A pipeline used as a value: a parenthesized subexpression such as
// `($e.comm | str length)` or `(count)`, or the value of
// `let n = $e.comm | str length`. A parenthesized or `let` value that is a
// lone expression, such as `($a + 1)`, is that expression instead.
struct PipelineExpr : Expr {
  explicit PipelineExpr(Span span) : Expr(ExprKind::kPipeline, span) {}
  std::vector<PipelineElement> elements;
};

// `value | command | command` or a lone command such as `count`.
struct PipelineStmt : Stmt {
  explicit PipelineStmt(Span span) : Stmt(StmtKind::kPipeline, span) {}
  std::vector<PipelineElement> elements;
};

// ---------------------------------------------------------------------------
// Top level

// `probe tracepoint:syscalls:sys_enter_openat {|e| ... }`.
struct ProbeDecl {
  Span span;
  // The target as written, such as `tracepoint:syscalls:sys_enter_openat`.
  std::string target;
  Span target_span;
  // The closure's parameter without `$`; empty for `{ ... }` without `|e|`.
  std::string parameter;
  Span parameter_span;
  Block body;
};

struct File {
  std::vector<ProbeDecl> probes;
};

}  // namespace nubpf::frontend
