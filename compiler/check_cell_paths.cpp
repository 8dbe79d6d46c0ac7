// Cell paths and `get`: fields of the probe record, of records and of list
// elements. Records and lists exist only while checking, so every member
// is resolved here and costs nothing at run time:
//
//   let r = {a: {b: $e.pid}}
//   $r.a.b            # the value of `$e.pid`
//   $r.x?.b           # null, because `x` is missing and optional
//   [7 8 9] | get 1   # 8

#include <algorithm>

#include "compiler/probe_checker.h"
#include "compiler/suggest.h"

namespace nubpf::compiler {

using frontend::ExprKind;
using Shape = CheckedValue::Shape;

CheckedValue NullValue(frontend::Span span) {
  CheckedValue null;
  null.shape = Shape::kNull;
  null.span = span;
  return null;
}

std::optional<CheckedValue> ProbeChecker::CheckField(
    const frontend::FieldExpr& field) {
  // `$r.a.b?` nests as Field(Field($r, a), b?), so the members are
  // collected from the outside in and then reversed.
  std::vector<CellPathMember> members;
  const frontend::Expr* root = &field;
  while (root->kind == ExprKind::kField) {
    const auto& step = static_cast<const frontend::FieldExpr&>(*root);
    members.push_back({step.field, step.index, step.optional, step.field_span});
    root = step.base.get();
  }
  std::reverse(members.begin(), members.end());

  std::optional<CheckedValue> value = CheckExpr(*root);
  if (!value) return std::nullopt;
  return CheckCellPath(&*value, members, field.span);
}

// Returns the field or element `member` names, or null when it is missing.
static const CheckedValue* FindMember(const CheckedValue& value,
                                      const CellPathMember& member) {
  if (value.shape == Shape::kRecord && !member.index) {
    for (const auto& [name, field] : value.fields) {
      if (name == member.name) return &field;
    }
  }
  if (value.shape == Shape::kList && member.index &&
      *member.index < value.elements.size()) {
    return &value.elements[*member.index];
  }
  return nullptr;
}

// Lists the names of a record's fields for a help line: "`a`, `b`".
static std::string ListFieldNames(const CheckedValue& record) {
  std::string listed;
  for (const auto& [name, unused] : record.fields) {
    listed += (listed.empty() ? "`" : ", `") + name + "`";
  }
  return listed.empty() ? "none" : listed;
}

std::optional<CheckedValue> ProbeChecker::CheckCellPath(
    const CheckedValue* root, const std::vector<CellPathMember>& members,
    frontend::Span span) {
  CheckedValue value;
  size_t first = 0;
  // The probe record's fields are read where the path names them.
  if (root == nullptr || root->shape == Shape::kEvent) {
    std::optional<CheckedValue> field = CheckEventField(
        members[0], span, root != nullptr ? root->event_variable : probe_.parameter);
    if (!field) return std::nullopt;
    value = std::move(*field);
    first = 1;
  } else {
    value = *root;
  }
  if (first == 1 && value.shape == Shape::kNull) return NullValue(span);

  for (size_t i = first; i < members.size(); ++i) {
    const CellPathMember& member = members[i];
    if (FollowsKernelMembers(value)) return CheckKernelPath(std::move(value), members, i, span);
    if (value.shape == Shape::kList && !member.index) {
      // A name on a list reads that field of every element, as Nushell
      // reads a table's column.
      CheckedValue column;
      column.shape = Shape::kList;
      column.span = span;
      for (const CheckedValue& element : value.elements) {
        std::optional<CheckedValue> cell = CheckCellPath(&element, {member}, span);
        if (!cell) return std::nullopt;
        column.elements.push_back(std::move(*cell));
      }
      value = std::move(column);
      continue;
    }
    if (const CheckedValue* found = FindMember(value, member)) {
      // `found` points into `value`, which assigning to `value` frees, so
      // the member is copied out first.
      CheckedValue member_value = *found;
      value = std::move(member_value);
      continue;
    }
    // The probe record inside a record or a list, as in `$r.ev.pid`.
    if (value.shape == Shape::kEvent) {
      std::optional<CheckedValue> field =
          CheckEventField(member, span, value.event_variable);
      if (!field) return std::nullopt;
      value = std::move(*field);
      if (value.shape == Shape::kNull) return NullValue(span);
      continue;
    }

    // A missing member: null for the whole path when it is optional, as in
    // Nushell, except that a record has no numbered members at all.
    bool record_index = value.shape == Shape::kRecord && member.index;
    bool can_miss = value.shape == Shape::kRecord || value.shape == Shape::kList ||
                    value.shape == Shape::kNull;
    if (member.optional && can_miss && !record_index) return NullValue(span);
    switch (value.shape) {
      case Shape::kRecord: {
        if (record_index) {
          diagnostics_.Error(member.span,
                             "cannot read element `" + member.name +
                                 "` of a record",
                             "a record's fields have names: its fields are " +
                                 ListFieldNames(value));
          return std::nullopt;
        }
        std::vector<std::string> names;
        for (const auto& [name, unused] : value.fields) names.push_back(name);
        std::string nearest = NearestName(member.name, names);
        diagnostics_.Error(member.span,
                           "the record has no field `" + member.name + "`",
                           nearest.empty()
                               ? "its fields are " + ListFieldNames(value) +
                                     "; `." + member.name + "?` gives null"
                               : "did you mean `" + nearest + "`?");
        return std::nullopt;
      }
      case Shape::kList: {
        size_t size = value.elements.size();
        diagnostics_.Error(
            member.span,
            "index " + member.name + " is out of range for a list of " +
                std::to_string(size) + (size == 1 ? " element" : " elements"),
            size == 0 ? "the list is empty; `." + member.name + "?` gives null"
                      : "use an index from 0 to " + std::to_string(size - 1) +
                            ", or `." + member.name + "?` for null");
        return std::nullopt;
      }
      case Shape::kNull:
        diagnostics_.Error(member.span,
                           "cannot read `" + member.name + "` of null",
                           "write `." + member.name +
                               "?` to get null, or give a value in place of "
                               "null with `default`");
        return std::nullopt;
      case Shape::kEvent:  // handled before the switch
      case Shape::kKernelObject:
      case Shape::kOptional:
      case Shape::kScalar:
      case Shape::kNothing:
        if (RejectStack(value, "indexed with `." + member.name + "`")) return std::nullopt;
        diagnostics_.Error(member.span,
                           "cannot read field `" + member.name + "` of a " +
                               value.TypeName() + " value",
                           "only records and lists have members");
        return std::nullopt;
    }
  }
  value.span = span;
  return value;
}

// Splits `a.b?.0` into its members, as Nushell reads a bare word given to
// `get`. A quoted string is one member, dots and all.
static std::vector<CellPathMember> SplitCellPath(const std::string& text,
                                                 frontend::Span span) {
  std::vector<CellPathMember> members;
  size_t begin = 0;
  while (begin <= text.size()) {
    size_t end = text.find('.', begin);
    if (end == std::string::npos) end = text.size();
    CellPathMember member;
    member.name = text.substr(begin, end - begin);
    member.span = {span.begin + static_cast<uint32_t>(begin),
                   span.begin + static_cast<uint32_t>(end)};
    if (!member.name.empty() && member.name.back() == '?') {
      member.name.pop_back();
      member.optional = true;
    }
    bool digits = !member.name.empty() &&
                  member.name.find_first_not_of("0123456789") == std::string::npos;
    if (digits && member.name.size() < 19) member.index = std::stoull(member.name);
    members.push_back(std::move(member));
    begin = end + 1;
  }
  return members;
}

// `get PATH ...`, with `--optional` (`-o`) making every member optional.
// Each path is a bare word such as `a.b`, an integer, or a string or
// integer known at compile time. Several paths give a list.
std::optional<CheckedValue> ProbeChecker::CheckGet(
    const frontend::CommandCall& call, const CheckedValue* input) {
  const char* usage = "write `get name`, `get 0` or `get a.b`";
  bool optional = false;
  std::vector<const frontend::Expr*> paths;
  for (const frontend::Argument& argument : call.arguments) {
    if (!argument.flag.empty()) {
      if (argument.flag != "optional" && argument.flag != "o") {
        diagnostics_.Error(argument.span,
                           "`get` has no flag `" + argument.FlagSpelling() +
                               "` in a probe",
                           "its one flag is `--optional` (`-o`)");
        return std::nullopt;
      }
      optional = true;
    }
    // The parser gives a flag the value after it, which is a path here.
    if (argument.value) paths.push_back(argument.value.get());
  }
  if (paths.empty()) {
    diagnostics_.Error(call.span, "`get` needs a cell path", usage);
    return std::nullopt;
  }
  if (input != nullptr && input->shape == Shape::kScalar &&
      input->type.kind != mir::TypeKind::kPointer) {
    diagnostics_.Error(input->span,
                       "`get` takes a record or a list, but this is " +
                           input->Described(),
                       "`get` reads a field of a record, such as `$e | get pid`");
    return std::nullopt;
  }

  std::vector<CheckedValue> values;
  for (const frontend::Expr* path : paths) {
    std::vector<CellPathMember> members;
    if (path->kind == ExprKind::kString) {
      const auto& word = static_cast<const frontend::StringExpr&>(*path);
      bool quoted = path->span.end - path->span.begin != word.value.size();
      if (quoted) {
        members.push_back({word.value, std::nullopt, false, path->span});
      } else {
        members = SplitCellPath(word.value, path->span);
      }
    } else {
      std::optional<CheckedValue> key = CheckExpr(*path);
      if (!key) return std::nullopt;
      if (key->is_literal && key->literal >= 0) {
        std::string name = std::to_string(key->literal);
        members.push_back({name, static_cast<uint64_t>(key->literal), false, path->span});
      } else if (key->is_string_literal) {
        members.push_back({key->text, std::nullopt, false, path->span});
      } else if (key->shape == Shape::kScalar && !key->is_literal &&
                 input != nullptr && input->shape == Shape::kKernelObject) {
        std::optional<CheckedValue> element = CheckKernelIndex(*input, *key, call.span);
        if (!element) return std::nullopt;
        values.push_back(std::move(*element));
        continue;
      } else if (key->shape == Shape::kScalar && !key->is_literal) {
        diagnostics_.Error(path->span,
                           "a cell path computed at run time is not supported "
                           "in a probe, because records and lists exist only "
                           "while the probe is compiled",
                           "use a literal or a `const`, such as `get 0`");
        return std::nullopt;
      } else {
        diagnostics_.Error(path->span,
                           "`get` takes a cell path, but this is " + key->Described(),
                           usage);
        return std::nullopt;
      }
    }
    if (optional) {
      for (CellPathMember& member : members) member.optional = true;
    }
    std::optional<CheckedValue> value = CheckCellPath(input, members, call.span);
    if (!value) return std::nullopt;
    values.push_back(std::move(*value));
  }

  if (values.size() == 1) return values[0];
  CheckedValue list;
  list.shape = Shape::kList;
  list.span = call.span;
  list.elements = std::move(values);
  return list;
}

}  // namespace nubpf::compiler
