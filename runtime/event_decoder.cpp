#include "runtime/event_decoder.h"

#include <fmt/core.h>

#include <algorithm>
#include <cassert>
#include <cstring>

namespace nubpf::runtime {
namespace {

template <typename T>
T Load(std::string_view bytes) {
  assert(bytes.size() == sizeof(T) && "value size does not match its type");
  T value;
  std::memcpy(&value, bytes.data(), sizeof(T));
  return value;
}

// The layout is u32 frames, u32 pid, then u64 addresses.
StackTrace DecodeStack(bool user, std::string_view bytes) {
  StackTrace stack;
  stack.user = user;
  if (bytes.size() < 8) return stack;
  uint32_t frames = Load<uint32_t>(bytes.substr(0, 4));
  stack.pid = Load<uint32_t>(bytes.substr(4, 4));
  size_t room = (bytes.size() - 8) / 8;
  stack.addresses.reserve(std::min<size_t>(frames, room));
  for (size_t i = 0; i < frames && i < room; ++i) {
    stack.addresses.push_back(Load<uint64_t>(bytes.substr(8 + 8 * i, 8)));
  }
  return stack;
}

}  // namespace

FieldValue DecodeValue(FieldType type, std::string_view bytes) {
  switch (type) {
    case FieldType::kU8:
      return uint64_t{Load<uint8_t>(bytes)};
    case FieldType::kU16:
      return uint64_t{Load<uint16_t>(bytes)};
    case FieldType::kU32:
      return uint64_t{Load<uint32_t>(bytes)};
    case FieldType::kU64:
      return Load<uint64_t>(bytes);
    case FieldType::kI8:
      return int64_t{Load<int8_t>(bytes)};
    case FieldType::kI16:
      return int64_t{Load<int16_t>(bytes)};
    case FieldType::kI32:
      return int64_t{Load<int32_t>(bytes)};
    case FieldType::kI64:
      return Load<int64_t>(bytes);
    case FieldType::kBool:
      return Load<uint8_t>(bytes) != 0;
    case FieldType::kString: {
      size_t end = bytes.find('\0');
      return std::string(bytes.substr(0, end));
    }
    case FieldType::kDuration:
      return Duration{Load<int64_t>(bytes)};
    case FieldType::kFileSize:
      return FileSize{Load<int64_t>(bytes)};
    case FieldType::kKernelStack:
    case FieldType::kUserStack:
      return DecodeStack(type == FieldType::kUserStack, bytes);
  }
  assert(false && "unhandled FieldType");
  return uint64_t{0};
}

// Decodes as DecodeValue() does, into `value`. A string goes into the
// buffer of the string that `value` held, which saves an allocation for
// strings too long for std::string's inline buffer.
static void DecodeValueInto(FieldType type, std::string_view bytes, FieldValue& value) {
  auto* text = std::get_if<std::string>(&value);
  if (type == FieldType::kString && text != nullptr) {
    text->assign(bytes.substr(0, bytes.find('\0')));
    return;
  }
  value = DecodeValue(type, bytes);
}

ErrorOr<DecodedEvent> DecodeEvent(const Metadata& metadata,
                                  std::string_view record) {
  DecodedEvent decoded;
  if (auto error = DecodeEventInto(metadata, record, decoded)) return std::move(*error);
  return decoded;
}

std::optional<Error> DecodeEventInto(const Metadata& metadata, std::string_view record,
                                     DecodedEvent& decoded) {
  uint32_t header_size = EventHeaderSize(metadata.version);
  if (record.size() < header_size) {
    Error error;
    error.message = fmt::format(
        "ring buffer record of {} bytes is shorter than the {}-byte header",
        record.size(), header_size);
    return error;
  }

  uint32_t id = Load<uint32_t>(record.substr(0, 4));
  const EventInfo* event = metadata.FindEvent(id);
  if (event == nullptr) {
    Error error;
    error.message = fmt::format(
        "ring buffer record has event id {}, which the `.nubpf` metadata "
        "does not describe",
        id);
    return error;
  }
  if (record.size() < event->size) {
    Error error;
    error.message = fmt::format(
        "ring buffer record for event {} is {} bytes, but the event is {}", id,
        record.size(), event->size);
    return error;
  }

  // ParseMetadata() has checked that every field lies inside event->size.
  decoded.event = event;
  decoded.time_ns = std::nullopt;
  if (metadata.HasEventTimes()) decoded.time_ns = Load<uint64_t>(record.substr(8, 8));
  decoded.values.resize(event->fields.size());
  for (size_t i = 0; i < event->fields.size(); ++i) {
    const FieldInfo& field = event->fields[i];
    DecodeValueInto(field.type, record.substr(field.offset, field.size), decoded.values[i]);
  }
  return std::nullopt;
}

void NameStacks(std::vector<FieldValue>& values, StackNamer& namer) {
  for (FieldValue& value : values) {
    if (auto* stack = std::get_if<StackTrace>(&value)) namer.Name(*stack);
  }
}

std::vector<FieldValue> DecodeAggregationKey(const AggregationInfo& info, std::string_view key) {
  std::vector<FieldValue> values;
  for (const FieldInfo& field : info.key) {
    values.push_back(DecodeValue(field.type, key.substr(field.offset, field.size)));
  }
  return values;
}

}  // namespace nubpf::runtime
