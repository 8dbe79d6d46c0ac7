#include "frontend/ast.h"

namespace nubpf::frontend {

const char* BinaryOpSpelling(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSubtract:
      return "-";
    case BinaryOp::kMultiply:
      return "*";
    case BinaryOp::kDivide:
      return "/";
    case BinaryOp::kFloorDivide:
      return "//";
    case BinaryOp::kModulo:
      return "mod";
    case BinaryOp::kPower:
      return "**";
    case BinaryOp::kEqual:
      return "==";
    case BinaryOp::kNotEqual:
      return "!=";
    case BinaryOp::kLess:
      return "<";
    case BinaryOp::kLessEqual:
      return "<=";
    case BinaryOp::kGreater:
      return ">";
    case BinaryOp::kGreaterEqual:
      return ">=";
    case BinaryOp::kRegexMatch:
      return "=~";
    case BinaryOp::kNotRegexMatch:
      return "!~";
    case BinaryOp::kIn:
      return "in";
    case BinaryOp::kNotIn:
      return "not-in";
    case BinaryOp::kStartsWith:
      return "starts-with";
    case BinaryOp::kEndsWith:
      return "ends-with";
    case BinaryOp::kBitAnd:
      return "bit-and";
    case BinaryOp::kBitOr:
      return "bit-or";
    case BinaryOp::kBitXor:
      return "bit-xor";
    case BinaryOp::kShiftLeft:
      return "bit-shl";
    case BinaryOp::kShiftRight:
      return "bit-shr";
    case BinaryOp::kAnd:
      return "and";
    case BinaryOp::kOr:
      return "or";
    case BinaryOp::kXor:
      return "xor";
  }
  return "?";
}

const char* AssignOpSpelling(AssignOp op) {
  switch (op) {
    case AssignOp::kSet:
      return "=";
    case AssignOp::kAdd:
      return "+=";
    case AssignOp::kSubtract:
      return "-=";
    case AssignOp::kMultiply:
      return "*=";
    case AssignOp::kDivide:
      return "/=";
  }
  return "?";
}

}  // namespace nubpf::frontend
