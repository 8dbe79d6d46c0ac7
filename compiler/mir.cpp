#include "compiler/mir.h"

namespace nubpf::mir {

bool HasNoResult(Opcode opcode) {
  return opcode == Opcode::kEmit || opcode == Opcode::kCount ||
         opcode == Opcode::kLocalStore || opcode == Opcode::kStoreUpdate ||
         opcode == Opcode::kStoreDelete || opcode == Opcode::kGlobalStore ||
         opcode == Opcode::kGlobalAdd;
}

bool WalksString(Opcode opcode) {
  switch (opcode) {
    case Opcode::kStringLength:
    case Opcode::kStringContains:
    case Opcode::kStringEndsWith:
    case Opcode::kStringLower:
    case Opcode::kStringUpper:
    case Opcode::kIntToString:
    case Opcode::kStringToInt:
      return true;
    case Opcode::kConstInt:
    case Opcode::kConstBool:
    case Opcode::kContextLoad:
    case Opcode::kProbeValue:
    case Opcode::kCommString:
    case Opcode::kContextCharArray:
    case Opcode::kContextDataLoc:
    case Opcode::kUserString:
    case Opcode::kKernelString:
    case Opcode::kStack:
    case Opcode::kCast:
    case Opcode::kBinary:
    case Opcode::kNot:
    case Opcode::kNegate:
    case Opcode::kStringEqualsLiteral:
    case Opcode::kStringStartsWith:
    case Opcode::kStringEquals:
    case Opcode::kStringLiteral:
    case Opcode::kStringSubstring:
    case Opcode::kLocalLoad:
    case Opcode::kLocalStore:
    case Opcode::kEmit:
    case Opcode::kCount:
    case Opcode::kCoreRead:
    case Opcode::kCoreAddress:
    case Opcode::kCoreFieldExists:
    case Opcode::kCoreEnumValue:
    case Opcode::kKernelCharArray:
    case Opcode::kKernelArrayElement:
    case Opcode::kUserRead:
    case Opcode::kStoreLookup:
    case Opcode::kStoreLoad:
    case Opcode::kStoreUpdate:
    case Opcode::kStoreDelete:
    case Opcode::kGlobalLoad:
    case Opcode::kGlobalStore:
    case Opcode::kGlobalAdd:
      return false;
  }
  return false;
}

}  // namespace nubpf::mir
