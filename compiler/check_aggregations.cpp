// Aggregations: `count`, `math sum`, `math avg`, `math min`, `math max`,
// `stats` and `histogram`, each with `--by KEY`, `--as NAME`,
// `--max-entries N` and `--lru`. A site becomes a kAggregate instruction
// whose operands are the key fields, then the value:
//
//   $e.ret | math sum --by {comm: $e.comm, pid: $e.pid}
//
// becomes, with agg#0 `sum_ret_by_comm_pid` keyed by a string[16] at +0
// and a u32 at +16 (24 bytes),
//
//   %0: i64 = ctx.load +16
//   %1: string[16] = comm
//   %2: u32 = pid
//   aggregate agg#0 %1, %2, %0
//
// aggregation_maps.cpp decides which map a site updates and lays out its
// key.

#include <algorithm>

#include "compiler/probe_checker.h"

namespace nubpf::compiler {

using frontend::ExprKind;
using mir::AggregationKind;
using mir::Type;
using mir::TypeKind;
using Shape = CheckedValue::Shape;

namespace {

AggregationKind KindOf(Command command) {
  switch (command) {
    case Command::kMathSum:
      return AggregationKind::kSum;
    case Command::kMathAvg:
      return AggregationKind::kAvg;
    case Command::kMathMin:
      return AggregationKind::kMin;
    case Command::kMathMax:
      return AggregationKind::kMax;
    case Command::kStats:
      return AggregationKind::kStats;
    case Command::kHistogram:
      return AggregationKind::kHistogram;
    default:
      return AggregationKind::kCount;
  }
}

// A name a map symbol and nubpf-run can use: `[a-z_][a-z0-9_]*`.
bool IsAggregationName(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// A value's name as part of a derived name: lower case, and `_` for any
// character an identifier cannot contain.
std::string NamePart(const std::string& name) {
  std::string part;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    bool allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    part += allowed ? c : '_';
  }
  return part;
}

}  // namespace

// Reads the flags of an aggregation. Switches such as `--lru` take no
// value, so a value the parser gave one is a positional argument, which
// only `--linear` takes.
std::optional<AggregationFlags> ProbeChecker::ReadAggregationFlags(
    const frontend::CommandCall& call, Command command) {
  AggregationFlags flags;
  const char* flag_list = command == Command::kHistogram
                              ? "`--by`, `--as`, `--max-entries`, `--lru` and `--linear`"
                              : "`--by`, `--as`, `--max-entries` and `--lru`";
  auto positional = [&](const frontend::Expr& value) {
    if (!flags.linear.empty() && flags.linear.size() < 3) {
      flags.linear.push_back(&value);
      return true;
    }
    diagnostics_.Error(value.span, "`" + call.name + "` takes no positional arguments",
                       command == Command::kCount
                           ? "pipe the key into it or give it with `--by`: "
                             "`count --by $e.comm`"
                           : "pipe the value into it: `$e.ret | " + call.name + "`");
    return false;
  };

  for (const frontend::Argument& argument : call.arguments) {
    if (argument.flag.empty()) {
      if (!positional(*argument.value)) return std::nullopt;
      continue;
    }
    const std::string& flag = argument.is_short ? "" : argument.flag;
    bool takes_value = flag == "by" || flag == "as" || flag == "max-entries" ||
                       (flag == "linear" && command == Command::kHistogram);
    if (flag == "lru") {
      flags.lru = true;
      flags.lru_span = argument.span;
      if (argument.value && !positional(*argument.value)) return std::nullopt;
      continue;
    }
    if (!takes_value) {
      diagnostics_.Error(argument.span,
                         "`" + call.name + "` has no flag `" + argument.FlagSpelling() + "`",
                         std::string("its flags are ") + flag_list);
      return std::nullopt;
    }
    if (!argument.value) {
      diagnostics_.Error(argument.span,
                         "`" + argument.FlagSpelling() + "` needs a value",
                         flag == "linear" ? "write `--linear MIN MAX STEP`, such as "
                                            "`--linear 0 100 10`"
                                          : "write `" + argument.FlagSpelling() + " VALUE`");
      return std::nullopt;
    }
    if (flag == "by") {
      flags.by = argument.value.get();
    } else if (flag == "as") {
      // A bare word is a string in Nushell: `--as reads`.
      if (argument.value->kind != ExprKind::kString) {
        diagnostics_.Error(argument.value->span,
                           "`--as` takes the aggregation's name as a word",
                           "write `--as reads`");
        return std::nullopt;
      }
      flags.as = static_cast<const frontend::StringExpr&>(*argument.value).value;
      flags.as_span = argument.value->span;
    } else if (flag == "max-entries") {
      flags.max_entries = argument.value.get();
    } else {
      flags.linear = {argument.value.get()};
      flags.linear_span = argument.span;
    }
  }
  if (!flags.linear.empty() && flags.linear.size() < 3) {
    diagnostics_.Error(flags.linear_span, "`--linear` takes three values, MIN MAX STEP",
                       "write `--linear 0 100 10` for buckets of 10 from 0 to 100");
    return std::nullopt;
  }
  return flags;
}

// An int known at compile time: a literal, a `const` or operators on them.
std::optional<int64_t> ProbeChecker::AggregationConstant(const frontend::Expr& expr,
                                                        const std::string& what,
                                                        const std::string& help) {
  auto is_constant = [&](const std::string& name) { return IsConstantName(name); };
  std::optional<CheckedValue> value;
  if (IsCompileTimeConstant(expr, is_constant)) value = CheckExpr(expr);
  if (value && value->is_literal) return value->literal;
  diagnostics_.Error(expr.span, what + " must be an int known at compile time", help);
  return std::nullopt;
}

// Sets the linear histogram's MIN, MAX and STEP, and checks that they give
// between 1 and kMaxLinearBuckets buckets.
bool ProbeChecker::ReadLinearParameters(const std::vector<const frontend::Expr*>& values,
                                        frontend::Span span,
                                        mir::Aggregation* aggregation) {
  const char* help = "write `--linear MIN MAX STEP` with int literals or constants, "
                     "such as `--linear 0 100 10`";
  std::optional<int64_t> min = AggregationConstant(*values[0], "MIN of `--linear`", help);
  if (!min) return false;
  std::optional<int64_t> max = AggregationConstant(*values[1], "MAX of `--linear`", help);
  if (!max) return false;
  std::optional<int64_t> step = AggregationConstant(*values[2], "STEP of `--linear`", help);
  if (!step) return false;

  if (*step <= 0) {
    diagnostics_.Error(values[2]->span, "STEP of `--linear` must be above 0",
                       "give the width of each bucket, such as `--linear 0 100 10`");
    return false;
  }
  if (*max <= *min) {
    diagnostics_.Error(values[1]->span, "MAX of `--linear` must be above MIN",
                       "write the range from low to high, such as `--linear 0 100 10`");
    return false;
  }
  // The difference of two i64 fits in 65 bits: compare in 128.
  __int128 buckets = (static_cast<__int128>(*max) - *min + *step - 1) / *step;
  if (buckets > mir::kMaxLinearBuckets) {
    diagnostics_.Error(span,
                       "`--linear " + std::to_string(*min) + " " + std::to_string(*max) +
                           " " + std::to_string(*step) + "` has " +
                           std::to_string(static_cast<int64_t>(buckets)) +
                           " buckets, more than the " +
                           std::to_string(mir::kMaxLinearBuckets) + " a map value can hold",
                       "use a larger STEP, or `histogram` without `--linear` for "
                       "power-of-two buckets");
    return false;
  }
  aggregation->kind = AggregationKind::kLinear;
  aggregation->linear_min = *min;
  aggregation->linear_max = *max;
  aggregation->linear_step = *step;
  return true;
}

// Adds the key's fields to `aggregation` and their values to `update`. A
// scalar key is one field named after the value; a record key has a field
// per record field. AddAggregation lays the fields out from the types
// that every site of the map gives them.
bool ProbeChecker::AddAggregationKey(const CheckedValue& key, const std::string& command,
                                     mir::Aggregation* aggregation,
                                     mir::Instruction* update) {
  std::vector<std::pair<std::string, CheckedValue>> fields;
  if (key.shape == Shape::kRecord) {
    fields = key.fields;
    if (fields.empty()) {
      diagnostics_.Error(key.span, "an empty record cannot be a key",
                         "give the key fields, such as `--by {comm: $e.comm}`");
      return false;
    }
  } else {
    fields.push_back({key.name.empty() ? "key" : key.name, key});
  }

  for (const auto& [name, value] : fields) {
    bool in_record = key.shape == Shape::kRecord;
    std::string what = in_record ? "the key field `" + name + "`" : "the key of `" + command + "`";
    if (value.shape == Shape::kList || value.shape == Shape::kNull ||
        value.shape == Shape::kOptional) {
      bool list = value.shape == Shape::kList;
      diagnostics_.Error(value.span,
                         what + " cannot be " + (list ? "a list" : "null") +
                             ", because a key is a value read when the probe runs",
                         list ? "key by each element on its own, such as `--by $list.0`"
                              : "give a value in place of null with `default`, as in "
                                "`$x | default 0`");
      return false;
    }
    if (value.shape == Shape::kEvent) {
      diagnostics_.Error(value.span, what + " cannot be the whole probe record",
                         "key by some of its fields, such as `--by {comm: $" +
                             value.event_variable + ".comm, pid: $" +
                             value.event_variable + ".pid}`");
      return false;
    }
    if (value.shape != Shape::kScalar) {
      diagnostics_.Error(value.span,
                         what + " cannot be " + value.Described() +
                             (in_record ? ", because a key record holds only scalars" : ""),
                         in_record ? "move its fields into the key record itself"
                                   : "key by one of its fields, or by a record of "
                                     "scalars such as `{comm: $e.comm, pid: $e.pid}`");
      return false;
    }
    mir::ValueId id = MaterializeDefault(value);
    aggregation->key.push_back({name, function_->value_types[id]});
    update->operands.push_back(id);
  }
  return true;
}

// Checks the piped-in value of an aggregation other than `count` and
// returns it as an i64, with its unit in `aggregation`.
std::optional<mir::ValueId> ProbeChecker::AggregationValue(const frontend::CommandCall& call,
                                                           const CheckedValue& value,
                                                           mir::Aggregation* aggregation) {
  bool is_int = value.is_literal ||
                (value.shape == Shape::kScalar && !value.is_string_literal &&
                 value.type.kind == TypeKind::kInt);
  if (!is_int) {
    std::string help = "pipe an int, a duration or a file size into it, such as `$e.ret | " +
                       call.name + "`";
    if (value.IsString()) help = "convert it first: `... | into int | " + call.name + "`";
    if (value.shape == Shape::kScalar && value.type.kind == TypeKind::kBool) {
      help = "count the true ones instead: `if $flag { count }`";
    }
    diagnostics_.Error(value.span,
                       "`" + call.name + "` takes an int, but this is " + value.Described(),
                       help);
    return std::nullopt;
  }
  aggregation->unit = value.unit;
  return Materialize(value, Type::Int(64, true));
}

// `count`, `KEY | count`, `VALUE | math sum` and the other aggregations.
// A null value from an optional skips the update.
bool ProbeChecker::CheckAggregation(const frontend::CommandCall& call, Command command,
                                    std::optional<CheckedValue> input) {
  std::optional<AggregationFlags> flags = ReadAggregationFlags(call, command);
  if (!flags) return false;

  mir::Aggregation aggregation;
  aggregation.kind = KindOf(command);
  aggregation.span = call.span;
  if (!flags->linear.empty() &&
      !ReadLinearParameters(flags->linear, flags->linear_span, &aggregation)) {
    return false;
  }

  // `count` takes its key piped in; the others take their value.
  std::optional<CheckedValue> key;
  std::optional<CheckedValue> value;
  if (command == Command::kCount) {
    if (input && flags->by) {
      diagnostics_.Error(flags->by->span,
                         "`count` takes its key piped in or from `--by`, not both",
                         "drop the piped-in value, or the `--by` flag");
      return false;
    }
    key = input;
  } else if (!input) {
    diagnostics_.Error(call.name_span, "`" + call.name + "` needs a value piped into it",
                       "write `$e.ret | " + call.name + "`");
    return false;
  } else {
    value = input;
  }

  // An optional value updates the aggregation only where it exists.
  mir::ValueId present = mir::kNoValue;
  if (value && value->shape == Shape::kOptional) {
    present = value->present;
    value = value->elements[0];
  }

  mir::Instruction update;
  update.opcode = mir::Opcode::kAggregate;
  update.span = call.span;
  if (flags->by) {
    key = CheckExpr(*flags->by);
    if (!key) return false;
  }
  if (key && !AddAggregationKey(*key, call.name, &aggregation, &update)) return false;

  std::optional<mir::ValueId> value_id;
  if (value) {
    value_id = AggregationValue(call, *value, &aggregation);
    if (!value_id) return false;
  }

  // Map settings.
  if (aggregation.key.empty() && (flags->max_entries || flags->lru)) {
    frontend::Span span = flags->lru ? flags->lru_span : flags->max_entries->span;
    diagnostics_.Error(span,
                       std::string("`") + (flags->lru ? "--lru" : "--max-entries") +
                           "` needs a key, because an aggregation without one has "
                           "a single entry",
                       "key it with `--by`, such as `--by $e.comm`, or drop the flag");
    return false;
  }
  if (flags->max_entries) {
    std::optional<int64_t> entries = AggregationConstant(
        *flags->max_entries, "the value of `--max-entries`", "write a number such as `--max-entries 4096`");
    if (!entries) return false;
    if (*entries < 1 || *entries > 1048576) {
      diagnostics_.Error(flags->max_entries->span,
                         "`--max-entries` must be from 1 to 1048576, but it is " +
                             std::to_string(*entries),
                         "write a number such as `--max-entries 4096`");
      return false;
    }
    aggregation.max_entries = static_cast<uint32_t>(*entries);
  }
  aggregation.lru = flags->lru;

  // Names.
  if (!flags->as.empty() || flags->as_span.end != 0) {
    if (!IsAggregationName(flags->as) || flags->as.rfind("nubpf_", 0) == 0) {
      diagnostics_.Error(flags->as_span, "`" + flags->as + "` is not a valid aggregation name",
                         flags->as.rfind("nubpf_", 0) == 0
                             ? "names that start with `nubpf_` belong to nubpf's own maps"
                             : "use lower-case letters, digits and `_`, starting with a "
                               "letter or `_`, such as `--as reads`");
      return false;
    }
    aggregation.explicit_name = flags->as;
  }
  aggregation.base_name =
      aggregation.kind == AggregationKind::kLinear
          ? "histogram"
          : mir::AggregationKindName(aggregation.kind);
  if (value && !value->name.empty()) aggregation.base_name += "_" + NamePart(value->name);
  if (!aggregation.key.empty()) {
    aggregation.base_name += "_by";
    for (const mir::KeyField& field : aggregation.key) {
      aggregation.base_name += "_" + NamePart(field.name);
    }
  }

  std::optional<uint32_t> index = AddAggregation(std::move(aggregation));
  if (!index) return false;
  update.index = *index;
  if (value_id) update.operands.push_back(*value_id);

  if (present == mir::kNoValue) {
    Append(std::move(update));
    return true;
  }
  mir::BlockId then_block = NewBlock();
  mir::BlockId join = NewBlock();
  Branch(present, then_block, join);
  current_block_ = then_block;
  Append(std::move(update));
  Jump(join);
  current_block_ = join;
  return true;
}

}  // namespace nubpf::compiler
