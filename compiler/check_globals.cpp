// Globals: a top-level `mut` is a variable that every probe reads and
// updates, on every CPU at once.
//
//   mut bytes = 0b
//   probe tracepoint:syscalls:sys_exit_read {|e|
//     if $e.ret > 0 { $bytes += $e.ret }
//   }
//
// becomes a global in `.data` and
//
//   %0: i64 = ctx.load +16
//   global.add bytes %0
//
// `+=` and `-=` are atomic adds, so that no update from another CPU is
// lost. `=` is a plain store, and `*=` is rejected, because BPF has no
// atomic multiply.

#include "compiler/probe_checker.h"

namespace nubpf::compiler {

using frontend::ExprKind;
using mir::Opcode;
using mir::Type;
using mir::TypeKind;

// Reads a global's literal into `global`: an int, a duration, a file size
// (each possibly negated) or a bool.
bool ReadGlobalLiteral(const frontend::Expr& value, mir::Global* global) {
  const frontend::Expr* literal = &value;
  bool negative = false;
  if (literal->kind == ExprKind::kUnary) {
    const auto& unary = static_cast<const frontend::UnaryExpr&>(*literal);
    if (unary.op != frontend::UnaryOp::kNegate) return false;
    literal = unary.operand.get();
    negative = true;
  }
  if (literal->kind == ExprKind::kBool && !negative) {
    global->type = Type::Bool();
    global->initial = static_cast<const frontend::BoolExpr&>(*literal).value ? 1 : 0;
    return true;
  }
  if (literal->kind != ExprKind::kInt) return false;
  const auto& number = static_cast<const frontend::IntExpr&>(*literal);
  global->type = Type::Int(64, true);
  global->unit = UnitOf(number.unit);
  global->initial = static_cast<int64_t>(number.value);
  if (negative) global->initial = static_cast<int64_t>(0 - number.value);
  return true;
}


bool CheckGlobals(const frontend::File& file, const Constants& constants,
                  frontend::DiagnosticSink& diagnostics, mir::Module* out) {
  bool ok = true;
  for (const auto& declaration : file.globals) {
    const frontend::LetStmt& let = *declaration;
    for (const mir::Global& earlier : out->globals) {
      if (earlier.name != let.name) continue;
      frontend::Diagnostic& error = diagnostics.Error(
          let.name_span, "global `$" + let.name + "` is declared twice",
          "give one of them another name");
      error.labels.push_back({earlier.span, "first declared here"});
      ok = false;
    }
    if (constants.count(let.name) > 0) {
      diagnostics.Error(let.name_span,
                        "`$" + let.name + "` is both a `const` and a global `mut`",
                        "give one of them another name");
      ok = false;
    }

    mir::Global global;
    global.name = let.name;
    global.span = let.name_span;
    // A global whose declaration has an error is still added, marked, so
    // that its uses in probes are not reported as unknown variables.
    if (!ReadGlobalLiteral(*let.value, &global)) {
      diagnostics.Error(let.value->span,
                        "the value of a global `mut` must be an int, duration, "
                        "filesize or bool literal",
                        "write a literal such as `mut " + let.name +
                            " = 0`, `= 0ns`, `= 0b` or `= false`; a probe can "
                            "then set it to any value of that type");
      global.is_error = true;
      ok = false;
    }
    std::string type_name =
        global.type.kind == TypeKind::kBool ? "bool" : UnitTypeName(global.unit);
    bool annotation_agrees = let.type_name.empty() || let.type_name == type_name ||
                             (let.type_name == "int" && global.type.kind == TypeKind::kInt);
    if (!global.is_error && !annotation_agrees) {
      diagnostics.Error(let.type_span,
                        "`$" + let.name + "` is declared `" + let.type_name +
                            "`, but its value is a `" + type_name + "`",
                        "a global is an `int`, `duration`, `filesize` or `bool`; "
                        "change the annotation or the value");
      global.is_error = true;
      ok = false;
    }
    global.offset = static_cast<uint32_t>(out->globals.size() * 8);
    out->globals.push_back(std::move(global));
  }
  return ok;
}

const mir::Global* FindGlobal(const mir::Module& module, const std::string& name,
                              uint32_t* index) {
  for (size_t i = 0; i < module.globals.size(); ++i) {
    if (module.globals[i].name != name) continue;
    *index = static_cast<uint32_t>(i);
    return &module.globals[i];
  }
  return nullptr;
}

std::optional<CheckedValue> ProbeChecker::ReadGlobal(const frontend::VariableExpr& variable) {
  uint32_t index = 0;
  const mir::Global* global = FindGlobal(*module_, variable.name, &index);
  if (global->is_error) return std::nullopt;
  mir::Instruction load;
  load.opcode = Opcode::kGlobalLoad;
  load.index = index;
  load.type = global->type;
  load.span = variable.span;
  std::optional<CheckedValue> value = MakeValue(std::move(load));
  value->unit = global->unit;
  value->name = variable.name;
  return value;
}

// Nushell types ints, durations and file sizes apart, and rejects
// `$x += 1ms` on an int as it rejects `$d = 5` on a duration, so a value
// must have its global's unit. Reports the mismatch and returns false.
bool ProbeChecker::CheckGlobalUnit(const frontend::AssignStmt& assign,
                                   const mir::Global& global, const CheckedValue& value) {
  if (value.unit == global.unit) return true;
  std::string spelling = frontend::AssignOpSpelling(assign.op);
  std::string help;
  if (global.unit == mir::Unit::kNone) {
    help = std::string("declare the global with a ") + UnitTypeName(value.unit) +
           " literal, as in `mut " + assign.name + " = " + ZeroLiteral(value.unit) + "`";
  } else if (value.unit == mir::Unit::kNone && value.is_literal) {
    std::string suffix = global.unit == mir::Unit::kDuration ? "ns" : "b";
    help = "give the literal a unit, as in `$" + assign.name + " " + spelling + " " +
           std::to_string(value.literal) + suffix + "`";
  } else if (value.unit == mir::Unit::kNone) {
    help = std::string("give the int its unit with `into ") + UnitTypeName(global.unit) +
           "`, as in `$" + assign.name + " " + spelling + " (VALUE | into " +
           UnitTypeName(global.unit) + ")`";
  } else {
    help = std::string("declare another global for ") + UnitTypeName(value.unit) +
           " values, because a global keeps the unit of its literal";
  }
  diagnostics_.Error(assign.value->span,
                     "`" + spelling + "` cannot store " + DescribeUnit(value.unit) +
                         " in the global `$" + assign.name + "`, which is " +
                         DescribeUnit(global.unit),
                     help);
  return false;
}

// `$NAME = v`, `$NAME += v` and `$NAME -= v` on a global. Returns false
// after reporting an error.
bool ProbeChecker::CheckGlobalAssign(const frontend::AssignStmt& assign) {
  uint32_t index = 0;
  const mir::Global* global = FindGlobal(*module_, assign.name, &index);
  if (global->is_error) return false;
  std::string spelling = frontend::AssignOpSpelling(assign.op);
  if (assign.op == frontend::AssignOp::kMultiply || assign.op == frontend::AssignOp::kDivide) {
    diagnostics_.Error(assign.op_span,
                       "`" + spelling + "` is not supported on the global `$" + assign.name +
                           "`, because probes on other CPUs may update it at the same "
                           "time and BPF has no atomic " +
                           (assign.op == frontend::AssignOp::kMultiply ? "multiply"
                                                                       : "divide"),
                       "update it with `+=` or `-=`, which add atomically, or compute "
                       "in a `mut` inside the probe and store the result with `$" +
                           assign.name + " = ...`");
    return false;
  }

  std::optional<CheckedValue> value = CheckExpr(*assign.value);
  if (!value || RejectStack(*value, "assigned to a global")) return false;
  bool is_bool = global->type.kind == TypeKind::kBool;
  bool value_is_bool = value->shape == CheckedValue::Shape::kScalar && !value->is_literal &&
                       value->type.kind == TypeKind::kBool;
  bool value_is_int = value->is_literal ||
                      (value->shape == CheckedValue::Shape::kScalar &&
                       !value->is_string_literal && value->type.kind == TypeKind::kInt);
  bool agrees = is_bool ? value_is_bool && assign.op == frontend::AssignOp::kSet : value_is_int;
  if (!agrees) {
    bool null = value->shape == CheckedValue::Shape::kNull ||
                value->shape == CheckedValue::Shape::kOptional;
    diagnostics_.Error(assign.value->span,
                       "`" + spelling + "` cannot store " + value->Described() +
                           " in the global `$" + assign.name + "` of type `" +
                           (is_bool ? "bool" : UnitTypeName(global->unit)) + "`",
                       null ? "give a value in place of null with `default`, as in "
                              "`$" + assign.name + " " + spelling + " ($t | default " +
                                  ZeroLiteral(global->unit) + ")`"
                            : "a global keeps the type of its literal");
    return false;
  }
  if (!is_bool && !CheckGlobalUnit(assign, *global, *value)) return false;

  mir::Instruction update;
  update.index = index;
  update.span = assign.span;
  mir::ValueId operand = Materialize(*value, global->type);
  switch (assign.op) {
    case frontend::AssignOp::kSet:
      update.opcode = Opcode::kGlobalStore;
      break;
    case frontend::AssignOp::kAdd:
      update.opcode = Opcode::kGlobalAdd;
      break;
    case frontend::AssignOp::kSubtract: {
      mir::Instruction negation;
      negation.opcode = Opcode::kNegate;
      negation.type = global->type;
      negation.operands = {operand};
      negation.span = assign.value->span;
      operand = Append(std::move(negation));
      update.opcode = Opcode::kGlobalAdd;
      break;
    }
    case frontend::AssignOp::kMultiply:
    case frontend::AssignOp::kDivide:
      return false;
  }
  update.operands = {operand};
  Append(std::move(update));
  return true;
}

}  // namespace nubpf::compiler
