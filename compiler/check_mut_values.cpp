// Tracks which `mut` locals hold a value known at compile time, so that a
// `while $i < 10 { ...; $i += 1 }` loop can be bounded from the value `$i`
// has when the loop starts.
//
//   mut i = 0          # known: 0
//   $i += 2            # known: 2
//   if $c { $i = 9 }   # unknown: the store is in a branch
//
// A store is straight-line when it is at the control depth where its local
// was declared: no `if` branch or loop body lies between the declaration
// and the store, so every path to a later statement passes the store.

#include "compiler/probe_checker.h"

namespace nubpf::compiler {

const CheckedValue* ProbeChecker::FindBinding(const std::string& name) const {
  for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope) {
    auto found = scope->find(name);
    if (found != scope->end()) return &found->second;
  }
  return nullptr;
}

void ProbeChecker::DeclareLocal(int32_t local, const CheckedValue& value) {
  local_depths_.resize(static_cast<size_t>(local) + 1, 0);
  local_depths_[static_cast<size_t>(local)] = control_depth_;
  if (value.is_literal) {
    known_locals_[local] = value.literal;
  } else {
    known_locals_.erase(local);
  }
}

void ProbeChecker::NoteStore(int32_t local, frontend::AssignOp op,
                             const CheckedValue& value) {
  bool straight = local_depths_[static_cast<size_t>(local)] == control_depth_;
  if (!straight || !value.is_literal) {
    known_locals_.erase(local);
    return;
  }
  if (op == frontend::AssignOp::kSet) {
    known_locals_[local] = value.literal;
    return;
  }

  // Wrapping arithmetic, as the generated code computes.
  auto known = known_locals_.find(local);
  if (known == known_locals_.end()) return;
  uint64_t current = static_cast<uint64_t>(known->second);
  uint64_t operand = static_cast<uint64_t>(value.literal);
  switch (op) {
    case frontend::AssignOp::kAdd:
      current += operand;
      break;
    case frontend::AssignOp::kSubtract:
      current -= operand;
      break;
    case frontend::AssignOp::kMultiply:
      current *= operand;
      break;
    case frontend::AssignOp::kSet:
    case frontend::AssignOp::kDivide:  // CheckAssign rejects `/=`
      known_locals_.erase(known);
      return;
  }
  known->second = static_cast<int64_t>(current);
}

// A loop body runs more than once, so a local it assigns has a value on
// later iterations that the first pass of the checker does not see.
void ProbeChecker::ForgetAssignedLocals(const frontend::Block& body) {
  ForEachAssignedName(body, [&](const std::string& name) {
    const CheckedValue* binding = FindBinding(name);
    if (binding != nullptr && binding->local >= 0) known_locals_.erase(binding->local);
  });
}

std::optional<int64_t> ProbeChecker::KnownLocalValue(
    const std::string& name) const {
  const CheckedValue* binding = FindBinding(name);
  if (binding == nullptr || binding->local < 0 || binding->is_loop_variable) {
    return std::nullopt;
  }
  auto known = known_locals_.find(binding->local);
  if (known == known_locals_.end()) return std::nullopt;
  return known->second;
}

}  // namespace nubpf::compiler
