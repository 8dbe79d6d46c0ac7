// Parameters: the flags of `def main` are values that nubpf-run sets when
// it loads the object, and that every probe reads.
//
//   def main [--comm: string = "", --min-bytes: int = 1] {
//     probe tracepoint:syscalls:sys_exit_read {|e|
//       if $e.ret >= $min_bytes { count }
//     }
//   }
//
// becomes two values in `.rodata`, `comm` (a string of --max-strlen bytes)
// at offset 0 and `min-bytes` (an i64) after it, and
//
//   %0: i64 = ctx.load +16
//   %1: i64 = param min-bytes
//   %2: bool = binary.ge %0, %1
//
// A read is never folded to the default: libbpf freezes `.rodata` after the
// loader has written the values, and the verifier then reads the value
// that was set and skips the branches it rules out.

#include <utility>
#include <vector>

#include "compiler/probe_checker.h"

namespace nubpf::compiler {

using frontend::ExprKind;
using mir::Opcode;
using mir::Type;
using mir::TypeKind;

namespace {

// Options of nubpf-run (runtime/nubpf_run_main.cpp). A parameter with one
// of these names could not be given on its command line.
constexpr const char* kLoaderOptions[] = {
    "format",     "duration",     "interval", "reset",  "verbose",       "help",
    "timestamps", "ringbuf-size", "list",     "verify", "allow-missing", "btf"};

// The parameter that nubpf-run sets to the pid of the process of its `-c`
// or `-p` (runtime/target_options.h), as an i64.
constexpr const char kTargetPidParameter[] = "target-pid";

std::string ParameterTypeName(const mir::Parameter& parameter) {
  if (parameter.type.kind == TypeKind::kBool) return "bool";
  if (parameter.type.kind == TypeKind::kString) return "string";
  return UnitTypeName(parameter.unit);
}

// Quotes a string default for the loader's `--help`, with the escapes that
// keep it on one metadata line.
std::string QuoteDefault(const std::string& text) {
  std::string quoted = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        quoted += "\\\"";
        break;
      case '\\':
        quoted += "\\\\";
        break;
      case '\t':
        quoted += "\\t";
        break;
      case '\n':
        quoted += "\\n";
        break;
      default:
        quoted += c;
    }
  }
  return quoted + "\"";
}

// The default of an int, duration or file size. The literal's value is in
// nanoseconds or bytes already (`1.5sec` is 1500000000), so a duration or
// file size shows in the largest unit of its family that divides it
// exactly: `1ms`, `1500ms`, `4kb`, `4kib`.
std::string NumberDefault(const mir::Global& literal, const frontend::Expr& value) {
  const frontend::Expr* number = &value;
  if (number->kind == ExprKind::kUnary) {
    number = static_cast<const frontend::UnaryExpr&>(*number).operand.get();
  }
  const auto& integer = static_cast<const frontend::IntExpr&>(*number);
  std::string text = literal.initial < 0 ? "-" : "";
  if (integer.unit.empty()) return text + std::to_string(integer.value);
  if (integer.value == 0) return "0" + integer.unit;

  using Unit = std::pair<const char*, uint64_t>;
  static const std::vector<Unit> kDurations = {{"wk", 604800000000000},  {"day", 86400000000000},
                                    {"hr", 3600000000000},    {"min", 60000000000},
                                    {"sec", 1000000000},      {"ms", 1000000},
                                    {"us", 1000},             {"ns", 1}};
  static const std::vector<Unit> kDecimalSizes = {{"eb", 1000000000000000000},
                                       {"pb", 1000000000000000}, {"tb", 1000000000000},
                                       {"gb", 1000000000},       {"mb", 1000000},
                                       {"kb", 1000},             {"b", 1}};
  static const std::vector<Unit> kBinarySizes = {{"eib", uint64_t{1} << 60},
                                      {"pib", uint64_t{1} << 50}, {"tib", uint64_t{1} << 40},
                                      {"gib", uint64_t{1} << 30}, {"mib", uint64_t{1} << 20},
                                      {"kib", uint64_t{1} << 10}, {"b", 1}};
  const bool binary = integer.unit.size() == 3 && integer.unit.substr(1) == "ib";
  const bool size = literal.unit == mir::Unit::kFileSize;
  const std::vector<Unit>* units = &kDurations;
  if (size) units = binary ? &kBinarySizes : &kDecimalSizes;
  for (const auto& [name, factor] : *units) {
    if (integer.value % factor == 0) return text + std::to_string(integer.value / factor) + name;
  }
  // Unreachable: every family ends with a unit of 1.
  return text + std::to_string(integer.value);
}

class ParameterChecker {
 public:
  ParameterChecker(const Constants& constants, uint32_t string_capacity,
                   frontend::DiagnosticSink& diagnostics, mir::Module* out)
      : constants_(constants),
        string_capacity_(string_capacity),
        diagnostics_(diagnostics),
        out_(out) {}

  bool Check(const frontend::Param& param);

 private:
  bool CheckShape(const frontend::Param& param);
  bool CheckName(const frontend::Param& param, const std::string& variable);
  bool ReadDefault(const frontend::Param& param, mir::Parameter* parameter);
  bool ReadStringDefault(const frontend::Param& param, mir::Parameter* parameter);
  bool CheckTargetPid(const frontend::Param& param, const mir::Parameter& parameter);

  const Constants& constants_;
  uint32_t string_capacity_;
  frontend::DiagnosticSink& diagnostics_;
  mir::Module* out_;
  // The end of the values so far in `.rodata`.
  uint32_t next_offset_ = 0;
};

// Rejects what a load-time parameter cannot be: a positional parameter, a
// short flag, and a type other than int, string, duration and filesize (or
// none, for a switch).
bool ParameterChecker::CheckShape(const frontend::Param& param) {
  if (!param.is_flag) {
    diagnostics_.Error(param.span,
                       "positional parameters of `def main` are not supported yet",
                       "make it a flag, such as `--" + param.name +
                           ": int = 0`, which nubpf-run takes as `--" + param.name +
                           " VALUE`");
    return false;
  }
  if (!param.short_name.empty()) {
    diagnostics_.Error(param.span,
                       "short flags such as `-" + param.short_name +
                           "` are not supported in `def main` yet",
                       "remove `(-" + param.short_name + ")` and pass `--" + param.name +
                           "` to nubpf-run");
    return false;
  }
  if (param.type_name == "bool") {
    diagnostics_.Error(param.span,
                       "a switch such as `--" + param.name +
                           "` cannot have the type `bool`: it is a bool already",
                       "remove `: bool`; nubpf-run then takes `--" + param.name +
                           "` alone, or `--" + param.name + " false`");
    return false;
  }
  bool known_type = param.type_name.empty() || param.type_name == "int" ||
                    param.type_name == "string" || param.type_name == "duration" ||
                    param.type_name == "filesize";
  if (!known_type) {
    diagnostics_.Error(param.span,
                       "parameter type `" + param.type_name +
                           "` is not supported in `def main`",
                       "use `int`, `string`, `duration` or `filesize`, or no type "
                       "for a switch such as `--verbose`");
    return false;
  }
  return true;
}

// Rejects a name that nubpf-run or another variable of the file already
// takes.
bool ParameterChecker::CheckName(const frontend::Param& param, const std::string& variable) {
  for (const char* option : kLoaderOptions) {
    if (param.name != option) continue;
    diagnostics_.Error(param.span,
                       "`--" + param.name + "` is an option of nubpf-run, so a "
                       "parameter cannot have that name",
                       "give the flag another name, such as `--probe-" + param.name + "`");
    return false;
  }
  for (const mir::Parameter& earlier : out_->parameters) {
    if (earlier.variable != variable) continue;
    frontend::Diagnostic& error = diagnostics_.Error(
        param.span,
        "`--" + param.name + "` and `--" + earlier.name + "` are both the variable `$" +
            variable + "`",
        "give one of them another name");
    error.labels.push_back({earlier.span, "the other flag"});
    return false;
  }
  if (constants_.count(variable) > 0) {
    diagnostics_.Error(param.span,
                       "`$" + variable + "` is both a `const` and a parameter of `def main`",
                       "give one of them another name");
    return false;
  }
  return true;
}

bool ParameterChecker::ReadStringDefault(const frontend::Param& param,
                                         mir::Parameter* parameter) {
  parameter->type = Type::String(string_capacity_);
  if (!param.default_value) {
    parameter->default_text = "\"\"";
    return true;
  }
  if (param.default_value->kind != ExprKind::kString) {
    diagnostics_.Error(param.default_value->span,
                       "the default of `--" + param.name + "` must be a string literal",
                       "write a literal such as `--" + param.name + ": string = \"\"`");
    return false;
  }
  const auto& text = static_cast<const frontend::StringExpr&>(*param.default_value);
  if (text.value.size() >= string_capacity_) {
    diagnostics_.Error(param.default_value->span,
                       "the default of `--" + param.name + "` is " +
                           std::to_string(text.value.size()) +
                           " bytes, longer than strings can be (" +
                           std::to_string(string_capacity_ - 1) + " bytes)",
                       "shorten it, or raise the limit with `nubpfc --max-strlen`");
    return false;
  }
  parameter->initial_text = text.value;
  parameter->default_text = QuoteDefault(text.value);
  return true;
}

// Reads the default into `parameter`, with the type it gives when the flag
// has no type. Without a default, a switch is false, an int 0 and a string
// empty.
bool ParameterChecker::ReadDefault(const frontend::Param& param, mir::Parameter* parameter) {
  if (param.type_name == "string") return ReadStringDefault(param, parameter);
  if (!param.default_value) {
    parameter->type = param.type_name.empty() ? Type::Bool() : Type::Int(64, true);
    parameter->unit = param.type_name == "duration"   ? mir::Unit::kDuration
                      : param.type_name == "filesize" ? mir::Unit::kFileSize
                                                      : mir::Unit::kNone;
    parameter->default_text = param.type_name.empty() ? "false" : "0";
    return true;
  }
  if (param.type_name.empty() && param.default_value->kind == ExprKind::kString) {
    return ReadStringDefault(param, parameter);
  }

  if (param.default_value->kind == ExprKind::kString) {
    diagnostics_.Error(param.default_value->span,
                       "`--" + param.name + "` is declared `" + param.type_name +
                           "`, but its default is a `string`",
                       "change the type or the default");
    return false;
  }

  // The literal reader of globals takes the same literals: ints,
  // durations, file sizes and bools.
  mir::Global literal;
  if (!ReadGlobalLiteral(*param.default_value, &literal)) {
    diagnostics_.Error(param.default_value->span,
                       "the default of `--" + param.name + "` must be a literal",
                       "write an int, duration, filesize, string or bool literal, "
                       "such as `--" + param.name + ": int = 1`");
    return false;
  }
  parameter->type = literal.type;
  parameter->unit = literal.unit;
  parameter->initial = literal.initial;
  parameter->default_text = literal.type.kind == TypeKind::kBool
                                ? (literal.initial != 0 ? "true" : "false")
                                : NumberDefault(literal, *param.default_value);

  std::string type_name = ParameterTypeName(*parameter);
  if (!param.type_name.empty() && param.type_name != type_name) {
    diagnostics_.Error(param.default_value->span,
                       "`--" + param.name + "` is declared `" + param.type_name +
                           "`, but its default is " + (type_name == "int" ? "an" : "a") +
                           " `" + type_name + "`",
                       "change the type or the default");
    return false;
  }
  return true;
}

// Rejects a `--target-pid` of another type than int, because nubpf-run
// writes a pid into it.
bool ParameterChecker::CheckTargetPid(const frontend::Param& param,
                                      const mir::Parameter& parameter) {
  if (param.name != kTargetPidParameter) return true;
  std::string type_name = ParameterTypeName(parameter);
  if (type_name == "int") return true;
  diagnostics_.Error(param.span,
                     "`--target-pid` is a `" + type_name + "`, but nubpf-run sets this "
                     "parameter to the pid of the process of `-c` or `-p`, an int",
                     "declare it `--target-pid: int`, or give the flag another name");
  return false;
}

bool ParameterChecker::Check(const frontend::Param& param) {
  if (!CheckShape(param)) return false;
  mir::Parameter parameter;
  parameter.name = param.name;
  parameter.variable = VariableName(param);
  parameter.span = param.span;
  // A parameter with a bad name is still declared, so that the probes that
  // read it do not add "unknown variable" errors to the one that matters.
  bool named = CheckName(param, parameter.variable);
  if (!ReadDefault(param, &parameter)) return false;
  if (!CheckTargetPid(param, parameter)) return false;

  // A string's slot has a NUL and zeros after its capacity, which string
  // commands read; other values take 8 bytes.
  uint32_t size = parameter.type.kind == TypeKind::kString
                      ? (parameter.type.capacity + 8) / 8 * 8
                      : 8;
  parameter.offset = next_offset_;
  next_offset_ += size;
  out_->parameters.push_back(std::move(parameter));
  return named;
}

}  // namespace

bool CheckParameters(const frontend::DefDecl& main, const Constants& constants,
                     uint32_t string_capacity, frontend::DiagnosticSink& diagnostics,
                     mir::Module* out) {
  ParameterChecker checker(constants, string_capacity, diagnostics, out);
  bool ok = true;
  for (const frontend::Param& param : main.params) ok = checker.Check(param) && ok;
  return ok;
}

const mir::Parameter* FindParameter(const mir::Module& module, const std::string& variable,
                                    uint32_t* index) {
  for (size_t i = 0; i < module.parameters.size(); ++i) {
    if (module.parameters[i].variable != variable) continue;
    *index = static_cast<uint32_t>(i);
    return &module.parameters[i];
  }
  return nullptr;
}

std::optional<CheckedValue> ProbeChecker::ReadParameter(
    const frontend::VariableExpr& variable) {
  uint32_t index = 0;
  const mir::Parameter* parameter = FindParameter(*module_, variable.name, &index);
  mir::Instruction read;
  read.opcode = parameter->type.kind == TypeKind::kString ? Opcode::kParameterString
                                                          : Opcode::kParameterLoad;
  read.index = index;
  read.type = parameter->type;
  read.span = variable.span;
  std::optional<CheckedValue> value = MakeValue(std::move(read));
  value->unit = parameter->unit;
  value->name = variable.name;
  return value;
}

void ProbeChecker::RejectParameterAssign(const frontend::AssignStmt& assign) {
  diagnostics_.Error(assign.name_span,
                     "`$" + assign.name + "` is a parameter of `def main`, which "
                     "probes cannot change",
                     "copy it into a variable first: `mut " + assign.name + " = $" +
                         assign.name + "`");
}

}  // namespace nubpf::compiler
