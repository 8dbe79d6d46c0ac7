#include "compiler/mir_printer.h"

#include "compiler/core_access.h"

namespace nubpf::mir {

static const char* BinaryOpName(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return "add";
    case BinaryOp::kSubtract:
      return "sub";
    case BinaryOp::kMultiply:
      return "mul";
    case BinaryOp::kFloorDivide:
      return "floordiv";
    case BinaryOp::kFloorModulo:
      return "floormod";
    case BinaryOp::kBitAnd:
      return "and";
    case BinaryOp::kBitOr:
      return "or";
    case BinaryOp::kBitXor:
      return "xor";
    case BinaryOp::kShiftLeft:
      return "shl";
    case BinaryOp::kShiftRight:
      return "shr";
    case BinaryOp::kEqual:
      return "eq";
    case BinaryOp::kNotEqual:
      return "ne";
    case BinaryOp::kLess:
      return "lt";
    case BinaryOp::kLessEqual:
      return "le";
    case BinaryOp::kGreater:
      return "gt";
    case BinaryOp::kGreaterEqual:
      return "ge";
  }
  return "?";
}

static const char* ProbeValueName(ProbeValue value) {
  switch (value) {
    case ProbeValue::kPid:
      return "pid";
    case ProbeValue::kTid:
      return "tid";
    case ProbeValue::kUid:
      return "uid";
    case ProbeValue::kGid:
      return "gid";
    case ProbeValue::kTimestamp:
      return "ts";
    case ProbeValue::kCpu:
      return "cpu";
    case ProbeValue::kCgroup:
      return "cgroup";
    case ProbeValue::kTask:
      return "task";
  }
  return "?";
}

static std::string Quote(const std::string& text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static const char* kHex = "0123456789abcdef";
      quoted += "\\x";
      quoted += kHex[(c >> 4) & 0xf];
      quoted += kHex[c & 0xf];
    } else {
      quoted += c;
    }
  }
  return quoted + "\"";
}

static void PrintOperands(const Instruction& instruction, std::ostream& out) {
  for (size_t i = 0; i < instruction.operands.size(); ++i) {
    out << (i == 0 ? " %" : ", %") << instruction.operands[i];
  }
}

static void PrintInstruction(const Module& module, const Instruction& instruction,
                             std::ostream& out) {
  out << "  ";
  if (instruction.result != kNoValue) {
    out << '%' << instruction.result << ": " << instruction.type.ToString()
        << " = ";
  }
  switch (instruction.opcode) {
    case Opcode::kConstInt:
      out << "const " << instruction.int_value;
      break;
    case Opcode::kConstBool:
      out << "const " << (instruction.int_value ? "true" : "false");
      break;
    case Opcode::kContextLoad:
      out << "ctx.load +" << instruction.offset;
      break;
    case Opcode::kProbeValue:
      out << ProbeValueName(instruction.probe_value);
      break;
    case Opcode::kCommString:
      out << "comm";
      break;
    case Opcode::kContextCharArray:
      out << "ctx.chars +" << instruction.offset;
      break;
    case Opcode::kContextDataLoc:
      out << "ctx.data_loc +" << instruction.offset;
      break;
    case Opcode::kUserString:
      out << "str.user";
      PrintOperands(instruction, out);
      break;
    case Opcode::kKernelString:
      out << "str.kernel";
      PrintOperands(instruction, out);
      break;
    case Opcode::kStack:
      out << (instruction.type.stack == StackKind::kKernel ? "stack.kernel" : "stack.user");
      break;
    case Opcode::kCast:
      out << "cast";
      PrintOperands(instruction, out);
      break;
    case Opcode::kBinary:
      out << BinaryOpName(instruction.binary_op);
      PrintOperands(instruction, out);
      break;
    case Opcode::kNot:
      out << "not";
      PrintOperands(instruction, out);
      break;
    case Opcode::kNegate:
      out << "neg";
      PrintOperands(instruction, out);
      break;
    case Opcode::kStringEqualsLiteral:
      out << "str.eq";
      PrintOperands(instruction, out);
      out << ", " << Quote(instruction.text);
      break;
    case Opcode::kStringStartsWith:
    case Opcode::kStringEndsWith:
    case Opcode::kStringContains:
      out << (instruction.opcode == Opcode::kStringStartsWith ? "str.starts"
              : instruction.opcode == Opcode::kStringEndsWith ? "str.ends"
                                                              : "str.contains");
      PrintOperands(instruction, out);
      out << ", " << Quote(instruction.text);
      break;
    case Opcode::kStringEquals:
      out << "str.eq";
      PrintOperands(instruction, out);
      break;
    case Opcode::kStringLiteral:
      out << "str.const " << Quote(instruction.text);
      break;
    case Opcode::kStringLength:
      out << "str.len";
      PrintOperands(instruction, out);
      break;
    case Opcode::kStringLower:
      out << "str.lower";
      PrintOperands(instruction, out);
      break;
    case Opcode::kStringUpper:
      out << "str.upper";
      PrintOperands(instruction, out);
      break;
    case Opcode::kStringSubstring:
      out << "str.sub";
      PrintOperands(instruction, out);
      out << ", " << instruction.offset << ".." << instruction.int_value;
      break;
    case Opcode::kIntToString:
      out << "int.to_str";
      PrintOperands(instruction, out);
      break;
    case Opcode::kStringToInt:
      out << "str.to_int";
      PrintOperands(instruction, out);
      break;
    case Opcode::kLocalLoad:
      out << "load local#" << instruction.index;
      break;
    case Opcode::kLocalStore:
      out << "store local#" << instruction.index;
      PrintOperands(instruction, out);
      break;
    case Opcode::kEmit:
      out << "emit event#" << instruction.index;
      PrintOperands(instruction, out);
      break;
    case Opcode::kAggregate:
      out << "aggregate agg#" << instruction.index;
      PrintOperands(instruction, out);
      break;
    case Opcode::kCoreRead:
    case Opcode::kCoreAddress:
      out << (instruction.opcode == Opcode::kCoreRead ? "core.read" : "core.addr");
      PrintOperands(instruction, out);
      out << ", " << AccessText(module.kernel_types, instruction.access);
      if (instruction.access.guarded) out << " guarded";
      break;
    case Opcode::kCoreFieldExists:
      out << "core.exists " << AccessText(module.kernel_types, instruction.access);
      break;
    case Opcode::kCoreEnumValue:
      out << "core.enum " << KernelTypeLabel(module.kernel_types, instruction.index)
          << "." << instruction.text;
      break;
    case Opcode::kUserRead:
      out << "user.read";
      PrintOperands(instruction, out);
      break;
    case Opcode::kKernelCharArray:
      out << "str.kchars";
      PrintOperands(instruction, out);
      break;
    case Opcode::kKernelArrayElement:
      out << "array.element";
      PrintOperands(instruction, out);
      out << ", " << instruction.int_value << " x " << instruction.offset << " bytes";
      break;
    case Opcode::kStoreLookup:
      out << "store.lookup " << module.stores[instruction.index].name;
      PrintOperands(instruction, out);
      break;
    case Opcode::kStoreLoad:
      out << "store.load";
      PrintOperands(instruction, out);
      break;
    case Opcode::kStoreUpdate:
      out << "store.update " << module.stores[instruction.index].name;
      PrintOperands(instruction, out);
      break;
    case Opcode::kStoreDelete:
      out << "store.delete " << module.stores[instruction.index].name;
      PrintOperands(instruction, out);
      break;
    case Opcode::kGlobalLoad:
      out << "global.load " << module.globals[instruction.index].name;
      break;
    case Opcode::kGlobalStore:
      out << "global.store " << module.globals[instruction.index].name;
      PrintOperands(instruction, out);
      break;
    case Opcode::kGlobalAdd:
      out << "global.add " << module.globals[instruction.index].name;
      PrintOperands(instruction, out);
      break;
    case Opcode::kParameterLoad:
    case Opcode::kParameterString:
      out << "param " << module.parameters[instruction.index].name;
      break;
  }
  out << '\n';
}

static void PrintTerminator(const Terminator& terminator, std::ostream& out) {
  switch (terminator.kind) {
    case TerminatorKind::kReturn:
      out << "  return\n";
      return;
    case TerminatorKind::kJump:
      out << "  jump bb" << terminator.target << '\n';
      return;
    case TerminatorKind::kBranch:
      out << "  branch %" << terminator.condition << ", bb" << terminator.target
          << ", bb" << terminator.else_target << '\n';
      return;
  }
}

// Prints the structs, unions and enums that CO-RE accesses name, with the
// members or enumerators probes use. A member's offset is in bytes, and a
// bitfield's is BYTE.BIT:WIDTH, such as `+12.3:1` for one bit that starts
// at bit 3 of byte 12.
static void PrintKernelTypes(const Module& module, std::ostream& out) {
  const std::vector<KernelType>& types = module.kernel_types;
  for (KernelTypeId id = 0; id < types.size(); ++id) {
    const KernelType& type = types[id];
    bool composite = type.kind == KernelTypeKind::kStruct ||
                     type.kind == KernelTypeKind::kUnion;
    if (type.kind == KernelTypeKind::kEnum) {
      out << "kernel " << KernelTypeLabel(types, id) << " size " << type.size << " {";
      for (size_t i = 0; i < type.enumerators.size(); ++i) {
        out << (i == 0 ? " " : ", ") << type.enumerators[i].name << " = "
            << type.enumerators[i].value;
      }
      out << " }\n";
    }
    if (!composite) continue;
    out << "kernel " << KernelTypeLabel(types, id) << " size " << type.size << " {";
    for (size_t i = 0; i < type.members.size(); ++i) {
      const KernelMember& member = type.members[i];
      out << (i == 0 ? " " : ", ")
          << (member.name.empty() ? std::string("(anonymous)") : member.name) << ": "
          << KernelTypeLabel(types, member.type) << " +" << member.bit_offset / 8;
      if (member.bitfield_size != 0) {
        out << "." << member.bit_offset % 8 << ":" << member.bitfield_size;
      }
    }
    out << " }\n";
  }
}

// Shows what the loader needs beyond the section: `attach uprobe
// /bin/bash:readline+0`, `attach profile 99hz`, `fallback vfs_read_2`.
static void PrintAttach(const Attach& attach, std::ostream& out) {
  switch (attach.kind) {
    case AttachKind::kSection:
      break;
    case AttachKind::kUprobe:
    case AttachKind::kUretprobe:
      out << (attach.kind == AttachKind::kUprobe ? "  attach uprobe " : "  attach uretprobe ")
          << attach.path << ':' << attach.symbol << '+' << attach.offset;
      if (attach.semaphore != 0) out << " semaphore +" << attach.semaphore;
      break;
    case AttachKind::kProfile:
    case AttachKind::kInterval:
      out << (attach.kind == AttachKind::kProfile ? "  attach profile " : "  attach interval ");
      if (attach.frequency != 0) {
        out << attach.frequency << "hz";
      } else {
        out << attach.period_ns << "ns";
      }
      break;
    case AttachKind::kBegin:
      out << "  attach begin";
      break;
    case AttachKind::kEnd:
      out << "  attach end";
      break;
  }
  if (!attach.fallback.empty()) out << "  fallback " << attach.fallback;
}

// `agg#0 sum_ret_by_comm sum i64 key comm: string[16] +0 size 16`, then
// the flags that change the map.
static void PrintAggregation(const Aggregation& aggregation, size_t index,
                             std::ostream& out) {
  out << "agg#" << index << ' ' << aggregation.name << ' '
      << AggregationKindName(aggregation.kind);
  if (aggregation.kind != AggregationKind::kCount) {
    out << (aggregation.unit == Unit::kDuration   ? " duration"
            : aggregation.unit == Unit::kFileSize ? " filesize"
                                                  : " i64");
  }
  if (aggregation.kind == AggregationKind::kLinear) {
    out << " linear " << aggregation.linear_min << ' ' << aggregation.linear_max << ' '
        << aggregation.linear_step;
  }
  out << " words " << aggregation.ValueWords();
  if (!aggregation.key.empty()) {
    out << " key";
    for (const KeyField& field : aggregation.key) {
      out << ' ' << field.name << ": " << field.type.ToString() << " +" << field.offset;
    }
    out << " size " << aggregation.key_size << " max " << aggregation.max_entries;
  }
  if (aggregation.lru) out << " lru";
  if (aggregation.drop_slot >= 0) out << " drop#" << aggregation.drop_slot;
  out << '\n';
}

void PrintModule(const Module& module, std::ostream& out) {
  PrintKernelTypes(module, out);
  for (const EventLayout& event : module.events) {
    out << (event.is_print ? "print" : "event") << "#" << event.id << " size "
        << event.size << " {";
    for (size_t i = 0; i < event.fields.size(); ++i) {
      const EventField& field = event.fields[i];
      out << (i == 0 ? " " : ", ") << field.name << ": " << field.type.ToString();
      if (field.unit == Unit::kDuration) out << " duration";
      if (field.unit == Unit::kFileSize) out << " filesize";
      out << " +" << field.offset;
    }
    out << " }\n";
  }
  for (size_t i = 0; i < module.aggregations.size(); ++i) {
    PrintAggregation(module.aggregations[i], i, out);
  }
  for (const Store& store : module.stores) {
    out << "store " << store.name << " key {";
    for (size_t i = 0; i < store.key.size(); ++i) {
      out << (i == 0 ? " " : ", ") << store.key[i].name << ": "
          << store.key[i].type.ToString() << " +" << store.key[i].offset;
    }
    out << " } size " << store.key_size << " value " << store.value_type.ToString();
    if (store.value_unit == Unit::kDuration) out << " duration";
    if (store.value_unit == Unit::kFileSize) out << " filesize";
    out << " max " << store.max_entries << " drop#" << store.drop_slot << '\n';
  }
  for (const Global& global : module.globals) {
    out << "global " << global.name << ": " << global.type.ToString();
    if (global.unit == Unit::kDuration) out << " duration";
    if (global.unit == Unit::kFileSize) out << " filesize";
    out << " = " << global.initial << " +" << global.offset << '\n';
  }

  for (const Function& function : module.functions) {
    out << "\nfn " << function.name << "  section " << function.section;
    PrintAttach(function.attach, out);
    out << '\n';
    for (size_t i = 0; i < function.locals.size(); ++i) {
      out << "local#" << i << ": " << function.locals[i].ToString() << '\n';
    }
    for (size_t b = 0; b < function.blocks.size(); ++b) {
      out << "bb" << b << ":\n";
      for (const Instruction& instruction : function.blocks[b].instructions) {
        PrintInstruction(module, instruction, out);
      }
      PrintTerminator(function.blocks[b].terminator, out);
    }
  }
}

}  // namespace nubpf::mir
