#include "compiler/mir.h"

namespace nubpf::mir {

bool HasNoResult(Opcode opcode) {
  return opcode == Opcode::kEmit || opcode == Opcode::kAggregate ||
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
    case Opcode::kAggregate:
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
    case Opcode::kParameterLoad:
    case Opcode::kParameterString:
      return false;
  }
  return false;
}

const char* AggregationKindName(AggregationKind kind) {
  switch (kind) {
    case AggregationKind::kCount:
      return "count";
    case AggregationKind::kSum:
      return "sum";
    case AggregationKind::kAvg:
      return "avg";
    case AggregationKind::kMin:
      return "min";
    case AggregationKind::kMax:
      return "max";
    case AggregationKind::kStats:
      return "stats";
    case AggregationKind::kHistogram:
      return "histogram";
    case AggregationKind::kLinear:
      return "linear";
  }
  return "?";
}

uint32_t Aggregation::LinearBuckets() const {
  // The checker keeps MAX - MIN below 2^63 and STEP above 0.
  uint64_t span = static_cast<uint64_t>(linear_max) - static_cast<uint64_t>(linear_min);
  uint64_t step = static_cast<uint64_t>(linear_step);
  return static_cast<uint32_t>((span + step - 1) / step);
}

uint32_t Aggregation::ValueWords() const {
  switch (kind) {
    case AggregationKind::kCount:
    case AggregationKind::kSum:
      return 1;
    case AggregationKind::kAvg:
    case AggregationKind::kMin:
    case AggregationKind::kMax:
      return 2;
    case AggregationKind::kStats:
      return 4;
    case AggregationKind::kHistogram:
      return kLog2Buckets;
    case AggregationKind::kLinear:
      return LinearBuckets() + 2;
  }
  return 1;
}

}  // namespace nubpf::mir
