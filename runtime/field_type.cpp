#include "runtime/field_type.h"

#include <utility>

namespace nubpf::runtime {

std::optional<FieldType> ParseFieldType(std::string_view name) {
  static constexpr std::pair<const char*, FieldType> kTypes[] = {
      {"u8", FieldType::kU8},     {"u16", FieldType::kU16},
      {"u32", FieldType::kU32},   {"u64", FieldType::kU64},
      {"i8", FieldType::kI8},     {"i16", FieldType::kI16},
      {"i32", FieldType::kI32},   {"i64", FieldType::kI64},
      {"bool", FieldType::kBool}, {"string", FieldType::kString},
      {"duration", FieldType::kDuration}, {"filesize", FieldType::kFileSize},
      {"kstack", FieldType::kKernelStack}, {"ustack", FieldType::kUserStack},
  };
  for (const auto& [spelling, type] : kTypes) {
    if (name == spelling) {
      return type;
    }
  }
  return std::nullopt;
}

const char* FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kU8:
      return "u8";
    case FieldType::kU16:
      return "u16";
    case FieldType::kU32:
      return "u32";
    case FieldType::kU64:
      return "u64";
    case FieldType::kI8:
      return "i8";
    case FieldType::kI16:
      return "i16";
    case FieldType::kI32:
      return "i32";
    case FieldType::kI64:
      return "i64";
    case FieldType::kBool:
      return "bool";
    case FieldType::kString:
      return "string";
    case FieldType::kDuration:
      return "duration";
    case FieldType::kFileSize:
      return "filesize";
    case FieldType::kKernelStack:
      return "kstack";
    case FieldType::kUserStack:
      return "ustack";
  }
  return "?";
}

std::optional<uint32_t> FixedFieldSize(FieldType type) {
  switch (type) {
    case FieldType::kU8:
    case FieldType::kI8:
    case FieldType::kBool:
      return 1;
    case FieldType::kU16:
    case FieldType::kI16:
      return 2;
    case FieldType::kU32:
    case FieldType::kI32:
      return 4;
    case FieldType::kU64:
    case FieldType::kI64:
    case FieldType::kDuration:
    case FieldType::kFileSize:
      return 8;
    case FieldType::kString:
    case FieldType::kKernelStack:
    case FieldType::kUserStack:
      return std::nullopt;
  }
  return std::nullopt;
}

bool IsStack(FieldType type) {
  return type == FieldType::kKernelStack || type == FieldType::kUserStack;
}

}  // namespace nubpf::runtime
