// The arguments of a `def` call: matching them to the parameters of the
// signature, checking their types, and filling in defaults and switches.
//
//   def scale [x: int, factor?: int, --limit: int = 10, --verbose (-v)]
//   scale $e.ret -v
//
// binds `$x` to `$e.ret`, `$factor` to nothing, `$limit` to 10 and
// `$verbose` to true.

#include "compiler/probe_checker.h"
#include "compiler/suggest.h"

namespace nubpf::compiler {

using frontend::ExprKind;
using mir::Opcode;
using mir::Type;

namespace {

// Returns a default value as written, for signatures in messages.
std::string DefaultText(const frontend::Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kInt: {
      const auto& literal = static_cast<const frontend::IntExpr&>(expr);
      if (literal.unit.empty()) return std::to_string(literal.value);
      return "...";
    }
    case ExprKind::kString:
      return "\"" + static_cast<const frontend::StringExpr&>(expr).value + "\"";
    case ExprKind::kBool:
      return static_cast<const frontend::BoolExpr&>(expr).value ? "true" : "false";
    default:
      return "...";
  }
}

std::string ParamText(const frontend::Param& param) {
  std::string text = param.is_flag ? "--" + param.name : param.name;
  if (!param.short_name.empty()) text += " (-" + param.short_name + ")";
  if (param.optional) text += "?";
  if (!param.type_name.empty()) text += ": " + param.type_name;
  if (param.default_value) text += " = " + DefaultText(*param.default_value);
  return text;
}

// Returns the help that shows a command's signature, such as
// "the signature is `f [x: int, --verbose]`".
std::string SignatureHelp(const frontend::DefDecl& def) {
  std::string params;
  for (const frontend::Param& param : def.params) {
    params += (params.empty() ? "" : ", ") + ParamText(param);
  }
  return "the signature is `" + def.name + " [" + params + "]`";
}

// True for a flag that takes no value, such as `--verbose`: it is true
// when given and false otherwise.
bool IsSwitch(const frontend::Param& param) {
  return param.is_flag && param.type_name.empty() && !param.default_value;
}

}  // namespace

std::string VariableName(const frontend::Param& param) {
  std::string name = param.name;
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

bool CheckDefSignature(const frontend::DefDecl& def, const Constants& constants,
                       frontend::DiagnosticSink& diagnostics) {
  bool ok = true;
  for (const frontend::Param& param : def.params) {
    if (param.is_flag && param.type_name == "bool") {
      diagnostics.Error(param.span,
                        "a switch such as `--" + param.name +
                            "` cannot have the type `bool`: it is a bool already",
                        "remove `: bool`, and pass the flag as `--" +
                            param.name + "` or leave it out");
      ok = false;
    }
    bool known_type = param.type_name.empty() || param.type_name == "int" ||
                      param.type_name == "bool" || param.type_name == "string" ||
                      param.type_name == "record" || param.type_name == "any";
    if (!known_type) {
      diagnostics.Error(param.span,
                        "parameter type `" + param.type_name +
                            "` is not supported in a probe",
                        "use `int`, `bool`, `string`, `record` or `any`");
      ok = false;
    }
    auto is_constant = [&](const std::string& name) { return constants.count(name) > 0; };
    if (param.default_value &&
        !IsCompileTimeConstant(*param.default_value, is_constant)) {
      diagnostics.Error(param.default_value->span,
                        "the default of `" + param.name +
                            "` is not known at compile time",
                        "use literals, operators and constants, as Nushell "
                        "requires");
      ok = false;
    }
  }
  return ok;
}

// Matches a call's arguments to the parameters of `def` and binds each
// parameter to its value: the argument, the default, `true` or `false`
// for a switch, or nothing for a parameter left out.
bool ProbeChecker::BindArguments(const frontend::CommandCall& call,
                                 const frontend::DefDecl& def,
                                 std::map<std::string, CheckedValue>* parameters) {
  std::vector<const frontend::Param*> positional_params;
  std::vector<std::string> flag_names;
  for (const frontend::Param& param : def.params) {
    if (!param.is_flag) positional_params.push_back(&param);
    if (param.is_flag) flag_names.push_back(param.name);
  }

  // The parser gives a flag the value after it, so the value after a
  // switch goes back to the positional arguments.
  std::vector<const frontend::Expr*> positional_values;
  std::map<const frontend::Param*, const frontend::Argument*> flags;
  for (const frontend::Argument& argument : call.arguments) {
    if (argument.flag.empty()) {
      positional_values.push_back(argument.value.get());
      continue;
    }
    if (argument.is_short && argument.flag.size() > 1) {
      diagnostics_.Error(argument.span,
                         "combined short flags such as `" + argument.FlagSpelling() +
                             "` are not supported yet",
                         "write each flag on its own, such as `-" +
                             argument.flag.substr(0, 1) + " -" +
                             argument.flag.substr(1, 1) + "`");
      return false;
    }
    const frontend::Param* param = nullptr;
    for (const frontend::Param& candidate : def.params) {
      const std::string& name = argument.is_short ? candidate.short_name : candidate.name;
      if (candidate.is_flag && name == argument.flag) param = &candidate;
    }
    if (param == nullptr) {
      std::string nearest =
          argument.is_short ? "" : NearestName(argument.flag, flag_names);
      diagnostics_.Error(argument.span,
                         "`" + def.name + "` has no flag `" +
                             argument.FlagSpelling() + "`",
                         nearest.empty() ? SignatureHelp(def)
                                         : "did you mean `--" + nearest + "`? " +
                                               SignatureHelp(def));
      return false;
    }
    if (IsSwitch(*param) && argument.value) {
      positional_values.push_back(argument.value.get());
    } else if (!IsSwitch(*param) && !argument.value) {
      diagnostics_.Error(argument.span,
                         "the flag `" + argument.FlagSpelling() + "` of `" +
                             def.name + "` needs a value",
                         "write `--" + param->name + " VALUE`; " + SignatureHelp(def));
      return false;
    }
    flags[param] = &argument;
  }

  if (positional_values.size() > positional_params.size()) {
    const frontend::Expr* extra = positional_values[positional_params.size()];
    diagnostics_.Error(extra->span,
                       "`" + def.name + "` takes " +
                           std::to_string(positional_params.size()) +
                           " positional argument" +
                           (positional_params.size() == 1 ? "" : "s") +
                           ", but the call gives " +
                           std::to_string(positional_values.size()),
                       SignatureHelp(def));
    return false;
  }

  for (size_t i = 0; i < def.params.size(); ++i) {
    const frontend::Param& param = def.params[i];
    const frontend::Expr* value = nullptr;
    bool switch_given = false;
    if (param.is_flag) {
      auto found = flags.find(&param);
      if (found != flags.end()) {
        value = IsSwitch(param) ? nullptr : found->second->value.get();
        switch_given = IsSwitch(param);
      }
    } else {
      size_t index = 0;
      while (positional_params[index] != &param) ++index;
      if (index < positional_values.size()) value = positional_values[index];
    }
    if (!param.is_flag && value == nullptr && !param.optional && !param.default_value) {
      diagnostics_.Error(call.span,
                         "the call of `" + def.name +
                             "` is missing the argument `" + param.name + "`",
                         SignatureHelp(def));
      return false;
    }
    if (!BindParameter(call, def, param, value, switch_given, parameters)) {
      return false;
    }
  }
  return true;
}

bool ProbeChecker::BindParameter(const frontend::CommandCall& call,
                                 const frontend::DefDecl& def,
                                 const frontend::Param& param,
                                 const frontend::Expr* argument,
                                 bool switch_given,
                                 std::map<std::string, CheckedValue>* parameters) {
  std::optional<CheckedValue> value;
  if (IsSwitch(param)) {
    mir::Instruction constant;
    constant.opcode = Opcode::kConstBool;
    constant.type = Type::Bool();
    constant.int_value = switch_given;
    constant.span = call.span;
    value = MakeValue(std::move(constant));
  } else if (argument != nullptr) {
    value = CheckExpr(*argument);
  } else if (param.default_value) {
    // A default is a constant, so it cannot read the caller's variables.
    std::vector<std::map<std::string, CheckedValue>> caller_scopes;
    caller_scopes.swap(scopes_);
    value = CheckExpr(*param.default_value);
    caller_scopes.swap(scopes_);
  } else {
    // Nushell gives `null`, which a probe does not have, so the parameter
    // is nothing and any use of it reports that.
    value = CheckedValue();
    value->shape = CheckedValue::Shape::kNothing;
    value->span = call.span;
  }
  if (!value) return false;

  bool left_out = value->shape == CheckedValue::Shape::kNothing;
  std::optional<bool> matches = ValueHasType(param.type_name, *value);
  if (!left_out && matches && !*matches) {
    diagnostics_.Error(argument ? argument->span : call.span,
                       "`" + def.name + "` takes " +
                           (param.type_name[0] == 'i' || param.type_name[0] == 'a'
                                ? "an"
                                : "a") +
                           " `" +
                           param.type_name + "` for `" + param.name +
                           "`, but this is " + value->Described(),
                       SignatureHelp(def));
    return false;
  }
  value->name = VariableName(param);
  (*parameters)[VariableName(param)] = std::move(*value);
  return true;
}

}  // namespace nubpf::compiler
