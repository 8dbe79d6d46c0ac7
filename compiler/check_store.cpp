// Keyed stores and timers: state that one probe run leaves for another.
//
//   probe tracepoint:syscalls:sys_enter_read {|e| start-timer --key $e.tid }
//   probe tracepoint:syscalls:sys_exit_read {|e|
//     let took = stop-timer --key $e.tid
//     if $took != null { emit {took: $took} }
//   }
//
// Each store NAME is one hash map from KEY to an i64, or to a string of
// `--max-strlen` bytes. `store get` and
// `stop-timer` give an optional value, as `$e.task.mm?` does: a lookup,
// then a branch that loads the value where the key exists.
//
//   %1: u64 = store.lookup timer %0
//   %3: bool = binary ne %1, %2          (%2 = 0)
//   branch %3, bb1, bb2
//   bb1: %4: i64 = store.load %1 ... store local#0, local#1 = true
//   bb2: store local#0 0, local#1 = false
//   bb3: the value is local#0, present where local#1 is true
//
// Integer key fields become i64, as Nushell's ints are, so that `$e.tid`
// (a u32) in one probe and `$e.ret` (an i64) in another make one key type.

#include <algorithm>

#include "compiler/probe_checker.h"

namespace nubpf::compiler {

using frontend::ExprKind;
using mir::Opcode;
using mir::Type;
using mir::TypeKind;
using Shape = CheckedValue::Shape;

namespace {

// Keyed maps hold at most this many entries, as aggregations do.
constexpr int64_t kMaxEntriesLimit = 1048576;

const char* StoreUsage(Command command) {
  switch (command) {
    case Command::kStoreSet:
      return "write `$e.ret | store set NAME --key $e.tid`";
    case Command::kStoreGet:
      return "write `store get NAME --key $e.tid`";
    case Command::kStoreDelete:
      return "write `store delete NAME --key $e.tid`";
    case Command::kStartTimer:
      return "write `start-timer --key $e.tid`";
    case Command::kStopTimer:
      return "write `stop-timer --key $e.tid`";
    default:
      break;
  }
  return "";
}

bool IsTimer(Command command) {
  return command == Command::kStartTimer || command == Command::kStopTimer;
}

// A store name is also a map symbol, and `nubpf_` names are the loader's.
bool IsStoreName(const std::string& name) {
  if (name.empty() || name.rfind("nubpf_", 0) == 0) return false;
  if (!(name[0] == '_' || (name[0] >= 'a' && name[0] <= 'z'))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

uint32_t AlignTo(uint32_t offset, uint32_t alignment) {
  return (offset + alignment - 1) / alignment * alignment;
}

// Describes a key for messages: `{tid: i64}`.
std::string KeyText(const std::vector<mir::KeyField>& key) {
  std::string text = "{";
  for (size_t i = 0; i < key.size(); ++i) {
    text += (i == 0 ? "" : ", ") + key[i].name + ": " + key[i].type.ToString();
  }
  return text + "}";
}

// True when two key fields can share a slot: the same kind, and for
// stacks the same stack and depth. Strings of any capacity share the
// largest one.
bool SameKeyType(const Type& a, const Type& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == TypeKind::kString) return true;
  return a == b;
}

std::string ValueTypeName(const Type& type, mir::Unit unit) {
  if (type.kind == TypeKind::kBool) return "bool";
  if (type.kind == TypeKind::kString) return "string";
  return UnitTypeName(unit);
}

// Returns "an `int`" or "a `bool`".
std::string WithArticle(const std::string& type_name) {
  return (type_name == "int" ? "an `" : "a `") + type_name + "`";
}

}  // namespace

std::optional<StoreArguments> ProbeChecker::ParseStoreArguments(
    const frontend::CommandCall& call, Command command) {
  const char* usage = StoreUsage(command);
  StoreArguments arguments;
  bool takes_max_entries = command == Command::kStoreSet || command == Command::kStartTimer;
  for (const frontend::Argument& argument : call.arguments) {
    if (argument.flag.empty()) {
      if (!arguments.name.empty()) {
        diagnostics_.Error(argument.span, "`" + call.name + "` takes one store name", usage);
        return std::nullopt;
      }
      if (argument.value->kind != ExprKind::kString) {
        diagnostics_.Error(argument.span,
                           "the store name of `" + call.name + "` must be written as a word",
                           usage);
        return std::nullopt;
      }
      arguments.name = static_cast<const frontend::StringExpr&>(*argument.value).value;
      arguments.name_span = argument.span;
      if (!IsStoreName(arguments.name)) {
        diagnostics_.Error(argument.span,
                           "`" + arguments.name + "` is not a valid store name",
                           "use lowercase letters, digits and `_`, starting with a "
                           "letter or `_` and not with `nubpf_`, such as `started`");
        return std::nullopt;
      }
      continue;
    }
    if (argument.flag == "key" && !argument.is_short && argument.value) {
      arguments.key = &argument;
      continue;
    }
    if (argument.flag == "max-entries" && !argument.is_short && takes_max_entries &&
        argument.value) {
      std::optional<CheckedValue> limit = CheckExpr(*argument.value);
      if (!limit) return std::nullopt;
      if (!limit->is_literal || limit->literal < 1 || limit->literal > kMaxEntriesLimit) {
        diagnostics_.Error(argument.value->span,
                           "`--max-entries` takes an int constant from 1 to " +
                               std::to_string(kMaxEntriesLimit),
                           "write `--max-entries 10240`");
        return std::nullopt;
      }
      arguments.max_entries = static_cast<uint32_t>(limit->literal);
      arguments.max_entries_span = argument.span;
      continue;
    }
    bool needs_value = (argument.flag == "key" || argument.flag == "max-entries") &&
                       !argument.value;
    diagnostics_.Error(argument.span,
                       needs_value ? "`" + argument.FlagSpelling() + "` needs a value"
                                   : "`" + call.name + "` has no flag `" +
                                         argument.FlagSpelling() + "`",
                       usage);
    return std::nullopt;
  }

  if (arguments.name.empty()) {
    if (!IsTimer(command)) {
      diagnostics_.Error(call.name_span, "`" + call.name + "` needs a store name", usage);
      return std::nullopt;
    }
    arguments.name = "timer";
    arguments.name_span = call.name_span;
  }
  if (arguments.key == nullptr) {
    diagnostics_.Error(call.span, "`" + call.name + "` needs a key: `--key KEY`", usage);
    return std::nullopt;
  }
  return arguments;
}

// Checks `--key KEY`: a scalar, or a record of scalars. Fills the key's
// fields with their layout, and the values to write into them.
bool ProbeChecker::CheckStoreKey(const frontend::Argument& argument,
                                 std::vector<mir::KeyField>* fields,
                                 std::vector<mir::ValueId>* values) {
  std::optional<CheckedValue> key = CheckExpr(*argument.value);
  if (!key) return false;
  std::vector<std::pair<std::string, CheckedValue>> parts;
  if (key->shape == Shape::kRecord) {
    parts = key->fields;
  } else {
    parts.push_back({key->name.empty() ? "key" : key->name, *key});
  }
  if (parts.empty()) {
    diagnostics_.Error(key->span, "a store key needs at least one field",
                       "key by a value, such as `--key $e.tid`");
    return false;
  }

  uint32_t size = 0;
  for (const auto& [name, part] : parts) {
    if (part.shape == Shape::kNull || part.shape == Shape::kOptional) {
      diagnostics_.Error(part.span, "a store key cannot be null",
                         "give a value in place of null with `default`, as in "
                         "`--key ($r.size? | default 0)`");
      return false;
    }
    if (part.shape == Shape::kEvent) {
      ReportWholeEvent(part);
      return false;
    }
    if (part.shape != Shape::kScalar) {
      diagnostics_.Error(part.span,
                         "a store key is a scalar or a record of scalars, but this is " +
                             part.Described(),
                         "key by one of its fields, or by a record such as "
                         "`--key {pid: $e.pid, fd: $e.fd}`");
      return false;
    }
    mir::ValueId id = MaterializeDefault(part);
    Type type = function_->value_types[id];
    if (type.kind == TypeKind::kInt || type.kind == TypeKind::kPointer) {
      id = Materialize(part, Type::Int(64, true));
      type = Type::Int(64, true);
    }
    bool is_buffer = type.kind == TypeKind::kString || type.kind == TypeKind::kStack;
    uint32_t offset = AlignTo(size, is_buffer ? 8 : type.SizeInBytes());
    fields->push_back({name, type, offset});
    values->push_back(id);
    size = offset + type.SizeInBytes();
  }
  return true;
}

// Returns the index of the store that `arguments` names, creating it on
// first use. Every use must agree on the key, and `value` (null for a
// read, which `is_timer_read` marks as a `stop-timer`) on the value type.
std::optional<uint32_t> ProbeChecker::UseStore(const StoreArguments& arguments,
                                               const std::vector<mir::KeyField>& key,
                                               const CheckedValue* value,
                                               bool is_timer_read, frontend::Span span) {
  std::vector<mir::Store>& stores = module_->stores;
  auto found = std::find_if(stores.begin(), stores.end(), [&](const mir::Store& store) {
    return store.name == arguments.name;
  });
  bool is_new = found == stores.end();
  if (is_new) {
    mir::Store store;
    store.name = arguments.name;
    store.span = span;
    store.key = key;
    stores.push_back(std::move(store));
    found = stores.end() - 1;
  }
  mir::Store& store = *found;
  // The use that fixed the key and the value type, for messages.
  frontend::Span first = span;
  if (!is_new) first = store.first_set ? *store.first_set : *store.first_read;

  // The key: the same fields in the same order, strings widened to the
  // largest capacity of any use.
  bool same_key = store.key.size() == key.size();
  for (size_t i = 0; same_key && i < key.size(); ++i) {
    same_key = SameKeyType(store.key[i].type, key[i].type);
  }
  if (!same_key) {
    frontend::Diagnostic& error = diagnostics_.Error(
        arguments.key->span,
        "the key of store `" + store.name + "` is " + KeyText(store.key) +
            ", but this key is " + KeyText(key),
        "use the same key fields, of the same types, at every use of `" + store.name + "`");
    error.labels.push_back({first, "the key is set by this first use"});
    return std::nullopt;
  }
  uint32_t size = 0;
  for (size_t i = 0; i < key.size(); ++i) {
    mir::KeyField& field = store.key[i];
    field.type.capacity = std::max(field.type.capacity, key[i].type.capacity);
    bool is_buffer = field.type.kind == TypeKind::kString || field.type.kind == TypeKind::kStack;
    field.offset = AlignTo(size, is_buffer ? 8 : field.type.SizeInBytes());
    size = field.offset + field.type.SizeInBytes();
  }
  store.key_size = AlignTo(size, 8);

  if (arguments.max_entries) {
    if (store.first_set && store.max_entries != *arguments.max_entries &&
        store.max_entries != mir::kDefaultMaxEntries) {
      frontend::Diagnostic& error = diagnostics_.Error(
          arguments.max_entries_span,
          "store `" + store.name + "` has `--max-entries " +
              std::to_string(store.max_entries) + "` at another use");
      error.help = "give `--max-entries` once, or the same number at every use";
      error.labels.push_back({*store.first_set, "first set here"});
      return std::nullopt;
    }
    store.max_entries = *arguments.max_entries;
  }

  if (value == nullptr) {
    if (!store.first_read) {
      store.first_read = span;
      store.first_read_is_timer = is_timer_read;
      if (is_timer_read && !store.first_set) store.value_unit = mir::Unit::kDuration;
    }
    return static_cast<uint32_t>(found - stores.begin());
  }

  // The value: an int, a duration, a file size, a bool or a string, which
  // Nushell types apart. Ints of any width are stored as i64, and strings
  // in `--max-strlen` bytes, so that a read before the set that fixes the
  // capacity agrees with it. The first set fixes the type, unless a read
  // before it took it already.
  bool is_bool = value->type.kind == TypeKind::kBool && !value->is_literal;
  bool is_string = value->IsString();
  Type type = is_bool     ? Type::Bool()
              : is_string ? Type::String(options_.max_string_length)
                          : Type::Int(64, true);
  mir::Unit unit = is_bool || is_string ? mir::Unit::kNone : value->unit;
  bool agrees = is_new || (store.value_type == type && store.value_unit == unit);
  if (!agrees) {
    std::string store_type_name = ValueTypeName(store.value_type, store.value_unit);
    std::string set_type_name = ValueTypeName(type, unit);
    frontend::Diagnostic& error = diagnostics_.Error(
        value->span,
        "store `" + store.name + "` holds " + store_type_name + " values, but this is " +
            WithArticle(set_type_name),
        "store values of one type under one name, or use another name");
    if (store_type_name == "string") {
      error.help = "make the value a string with `into string`, or use another name";
    } else if (set_type_name == "int" && store_type_name != "bool") {
      error.help = "give the value its unit with `into " + store_type_name +
                   "`, or use another name";
    } else if (store_type_name == "int" && set_type_name != "bool") {
      error.help = "make the value an int with `into int`, or use another name";
    }
    if (!store.first_set && is_string) {
      error.help = "a read before any set takes an int: move the probe with the `store "
                   "set` above the one with the read";
    }
    error.labels.push_back(
        {first, store.first_set ? "the type is set here"
                                : "read here as " + WithArticle(store_type_name) +
                                      ", before any set"});
    store.set_rejected = true;
    return std::nullopt;
  }
  if (is_string && value->StringCapacity() > type.capacity) {
    diagnostics_.Error(value->span,
                       "this string needs " + std::to_string(value->StringCapacity()) +
                           " bytes, but store `" + store.name + "` holds strings of " +
                           std::to_string(type.capacity) + " bytes, the `--max-strlen`",
                       "raise `--max-strlen`, or store a shorter string");
    store.set_rejected = true;
    return std::nullopt;
  }
  store.value_type = type;
  store.value_unit = unit;
  if (!store.first_set) store.first_set = span;
  return static_cast<uint32_t>(found - stores.begin());
}

std::optional<CheckedValue> ProbeChecker::CheckStoreCommand(const frontend::CommandCall& call,
                                                            Command command,
                                                            std::optional<CheckedValue> input) {
  const char* usage = StoreUsage(command);
  if (input && command != Command::kStoreSet) {
    diagnostics_.Error(input->span, "`" + call.name + "` takes no input", usage);
    return std::nullopt;
  }
  std::optional<StoreArguments> arguments = ParseStoreArguments(call, command);
  if (!arguments) return std::nullopt;

  // The value a set stores: an int, a duration, a file size, a bool or a
  // string.
  CheckedValue value;
  if (command == Command::kStoreSet) {
    if (!input) {
      diagnostics_.Error(call.name_span, "`store set` needs a value piped into it", usage);
      return std::nullopt;
    }
    bool is_int = input->is_literal || (input->shape == Shape::kScalar &&
                                        !input->is_string_literal &&
                                        input->type.kind == TypeKind::kInt);
    bool is_bool = input->shape == Shape::kScalar && !input->is_literal &&
                   input->type.kind == TypeKind::kBool;
    if (!is_int && !is_bool && !input->IsString()) {
      bool null = input->shape == Shape::kNull || input->shape == Shape::kOptional;
      diagnostics_.Error(input->span,
                         "`store set` stores an int, a duration, a filesize, a bool or "
                         "a string, but this is " + input->Described(),
                         null ? std::string("give a value in place of null with "
                                            "`default`, as in `... | default ") +
                                    ZeroLiteral(input->shape == Shape::kOptional
                                                    ? input->elements[0].unit
                                                    : mir::Unit::kNone) +
                                    " | store set NAME --key KEY`"
                              : usage);
      return std::nullopt;
    }
    value = *input;
  }
  if (command == Command::kStartTimer) {
    mir::Instruction now;
    now.opcode = Opcode::kProbeValue;
    now.probe_value = mir::ProbeValue::kTimestamp;
    now.type = Type::Int(64, false);
    now.span = call.span;
    value.id = Append(std::move(now));
    value.type = Type::Int(64, false);
    value.unit = mir::Unit::kDuration;
    value.span = call.span;
  }

  std::vector<mir::KeyField> key;
  std::vector<mir::ValueId> key_values;
  if (!CheckStoreKey(*arguments->key, &key, &key_values)) return std::nullopt;
  bool sets = command == Command::kStoreSet || command == Command::kStartTimer;
  std::optional<uint32_t> store = UseStore(*arguments, key, sets ? &value : nullptr,
                                           command == Command::kStopTimer, call.span);
  if (!store) return std::nullopt;

  CheckedValue nothing;
  nothing.shape = Shape::kNothing;
  nothing.span = call.span;
  switch (command) {
    case Command::kStoreSet:
    case Command::kStartTimer: {
      mir::Instruction update;
      update.opcode = Opcode::kStoreUpdate;
      update.index = *store;
      update.operands = key_values;
      Type type = module_->stores[*store].value_type;
      update.operands.push_back(Materialize(value, type));
      update.span = call.span;
      Append(std::move(update));
      return nothing;
    }
    case Command::kStoreDelete: {
      mir::Instruction remove;
      remove.opcode = Opcode::kStoreDelete;
      remove.index = *store;
      remove.operands = key_values;
      remove.span = call.span;
      Append(std::move(remove));
      return nothing;
    }
    case Command::kStoreGet:
    case Command::kStopTimer:
      return ReadStore(*store, key_values, command == Command::kStopTimer, call.span);
    default:
      break;
  }
  return std::nullopt;
}

// The optional value of a `store get`, or for a timer the nanoseconds
// since its start, after which the timer's key is deleted.
std::optional<CheckedValue> ProbeChecker::ReadStore(uint32_t store,
                                                    const std::vector<mir::ValueId>& key,
                                                    bool is_timer, frontend::Span span) {
  auto append = [&](Opcode opcode, const Type& type, std::vector<mir::ValueId> operands,
                    int64_t number = 0) {
    mir::Instruction instruction;
    instruction.opcode = opcode;
    instruction.type = type;
    instruction.operands = std::move(operands);
    instruction.int_value = number;
    instruction.index = store;
    instruction.span = span;
    return Append(std::move(instruction));
  };
  Type address_type = Type::Int(64, false);
  mir::ValueId address = append(Opcode::kStoreLookup, address_type, key);
  mir::ValueId null = append(Opcode::kConstInt, address_type, {});
  mir::Instruction found;
  found.opcode = Opcode::kBinary;
  found.binary_op = mir::BinaryOp::kNotEqual;
  found.type = Type::Bool();
  found.operands = {address, null};
  found.span = span;
  mir::ValueId condition = Append(std::move(found));

  const mir::Store& layout = module_->stores[store];
  Type type = is_timer ? Type::Int(64, true) : layout.value_type;
  uint32_t value_local = NewLocal(type);
  uint32_t present_local = NewLocal(Type::Bool());
  auto store_local = [&](uint32_t local, mir::ValueId stored) {
    mir::Instruction instruction;
    instruction.opcode = Opcode::kLocalStore;
    instruction.index = local;
    instruction.operands = {stored};
    instruction.span = span;
    Append(std::move(instruction));
  };
  mir::BlockId then_block = NewBlock();
  mir::BlockId else_block = NewBlock();
  mir::BlockId join = NewBlock();
  Branch(condition, then_block, else_block);

  // The key exists: load the value, and for a timer take the time since
  // it and delete the key, so that the next stop without a start is null.
  current_block_ = then_block;
  bool is_string = type.kind == TypeKind::kString;
  mir::ValueId stored =
      append(Opcode::kStoreLoad, is_string ? type : Type::Int(64, true), {address});
  if (is_timer) {
    mir::ValueId now_raw = mir::kNoValue;
    mir::Instruction now;
    now.opcode = Opcode::kProbeValue;
    now.probe_value = mir::ProbeValue::kTimestamp;
    now.type = Type::Int(64, false);
    now.span = span;
    now_raw = Append(std::move(now));
    mir::ValueId now_signed = append(Opcode::kCast, Type::Int(64, true), {now_raw});
    mir::Instruction elapsed;
    elapsed.opcode = Opcode::kBinary;
    elapsed.binary_op = mir::BinaryOp::kSubtract;
    elapsed.type = Type::Int(64, true);
    elapsed.operands = {now_signed, stored};
    elapsed.span = span;
    stored = Append(std::move(elapsed));
    append(Opcode::kStoreDelete, Type(), key);
  } else if (type.kind == TypeKind::kBool) {
    mir::ValueId zero = append(Opcode::kConstInt, Type::Int(64, true), {});
    mir::Instruction nonzero;
    nonzero.opcode = Opcode::kBinary;
    nonzero.binary_op = mir::BinaryOp::kNotEqual;
    nonzero.type = Type::Bool();
    nonzero.operands = {stored, zero};
    nonzero.span = span;
    stored = Append(std::move(nonzero));
  }
  store_local(value_local, stored);
  store_local(present_local, append(Opcode::kConstBool, Type::Bool(), {}, 1));
  Jump(join);

  // The key is missing: the value is a zero, or an empty string, which
  // only a test for null reaches.
  current_block_ = else_block;
  if (is_string) {
    mir::Instruction empty;
    empty.opcode = Opcode::kStringLiteral;
    empty.type = Type::String(1);
    empty.span = span;
    store_local(value_local, Append(std::move(empty)));
  } else {
    store_local(value_local, append(type.kind == TypeKind::kBool ? Opcode::kConstBool
                                                                 : Opcode::kConstInt,
                                    type, {}));
  }
  store_local(present_local, append(Opcode::kConstBool, Type::Bool(), {}, 0));
  Jump(join);

  current_block_ = join;
  CheckedValue inner;
  inner.type = type;
  inner.unit = is_timer ? mir::Unit::kDuration : layout.value_unit;
  inner.span = span;
  inner.name = is_timer ? "duration" : layout.name;
  inner.id = append(Opcode::kLocalLoad, type, {});
  function_->blocks[current_block_].instructions.back().index = value_local;

  CheckedValue result;
  result.shape = Shape::kOptional;
  result.span = span;
  result.name = inner.name;
  result.present = append(Opcode::kLocalLoad, Type::Bool(), {});
  function_->blocks[current_block_].instructions.back().index = present_local;
  result.elements = {std::move(inner)};
  return result;
}

bool FinishStores(mir::Module* module, frontend::DiagnosticSink& diagnostics) {
  bool ok = true;
  // Stores take the `nubpf_drops` slots after the aggregations' ones.
  for (mir::Store& store : module->stores) {
    store.drop_slot = module->drop_slots++;
    bool never_set = !store.first_set && !store.set_rejected;
    if (never_set && store.first_read_is_timer) {
      bool unnamed = store.name == "timer";
      diagnostics.Error(*store.first_read,
                        (unnamed ? std::string("the timer") : "timer `" + store.name + "`") +
                            " is stopped but never started",
                        "start it in a probe with `start-timer " +
                            (unnamed ? std::string() : store.name + " ") + "--key KEY`");
      ok = false;
    } else if (never_set) {
      diagnostics.Error(*store.first_read,
                        "store `" + store.name + "` is read, but nothing in this file "
                            "sets it",
                        store.name == "timer"
                            ? "start it in a probe with `start-timer --key KEY`"
                            : "set it in a probe with `VALUE | store set " + store.name +
                                  " --key KEY`");
      ok = false;
    }
    // A store's map symbol must be unique in the object.
    auto clash = [&](const std::string& name, const char* what) {
      if (name != store.name) return;
      diagnostics.Error(store.span,
                        "store `" + store.name + "` has the name of " + what,
                        "give the store another name");
      ok = false;
    };
    for (const mir::Aggregation& aggregation : module->aggregations) {
      clash(aggregation.name, "an aggregation");
    }
    for (const mir::Global& global : module->globals) clash(global.name, "a global");
    for (const mir::Function& function : module->functions) {
      clash(function.name, "a probe program");
    }
  }
  return ok;
}

}  // namespace nubpf::compiler
