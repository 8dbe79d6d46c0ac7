#include "runtime/aggregation_metadata.h"

#include <fmt/core.h>

namespace nubpf::runtime {
namespace {

// The limit of `histogram --linear`, which keeps a map value (N + 2 words)
// within one page.
constexpr uint32_t kMaxLinearBuckets = 1000;

std::optional<AggregationKind> ParseAggregationKind(std::string_view name) {
  static constexpr AggregationKind kKinds[] = {
      AggregationKind::kCount, AggregationKind::kSum,       AggregationKind::kAvg,
      AggregationKind::kMin,   AggregationKind::kMax,       AggregationKind::kStats,
      AggregationKind::kHistogram, AggregationKind::kLinear,
  };
  for (AggregationKind kind : kKinds) {
    if (name == AggregationKindName(kind)) return kind;
  }
  return std::nullopt;
}

// DROP-SLOT is a slot of `nubpf_drops`, or `-` for a map that cannot drop.
ErrorOr<std::optional<uint32_t>> ParseDropSlot(const MetadataLine& line,
                                               size_t index) {
  if (line.values[index] == "-") return std::optional<uint32_t>();
  ErrorOr<uint32_t> slot = ParseNumber(line, index, "DROP-SLOT");
  if (!slot) return slot.TakeError();
  return std::optional<uint32_t>(*slot);
}

// VALUE-TYPE: `-` for count, else the type of the piped-in value.
ErrorOr<FieldType> ParseValueType(const MetadataLine& line,
                                  AggregationKind kind) {
  std::string_view name = line.values[5];
  if (kind == AggregationKind::kCount) {
    if (name != "-") {
      return LineError(line.number,
                       fmt::format("count aggregation `{}` has VALUE-TYPE "
                                   "`{}`; a count has `-`",
                                   line.values[1], name));
    }
    return FieldType::kU64;
  }
  std::optional<FieldType> type = ParseFieldType(name);
  if (!type || (*type != FieldType::kI64 && *type != FieldType::kDuration &&
                *type != FieldType::kFileSize)) {
    return LineError(line.number,
                     fmt::format("aggregation `{}` has VALUE-TYPE `{}`; "
                                 "expected `i64`, `duration` or `filesize`",
                                 line.values[1], name));
  }
  return *type;
}

}  // namespace

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

// Example: MIN 0, MAX 100, STEP 30 gives N = 4: [0, 30) [30, 60) [60, 90)
// [90, 120), so MAX itself falls in the last bucket.
uint32_t LinearRange::BucketCount() const {
  __int128 span = static_cast<__int128>(max) - min;
  return static_cast<uint32_t>((span + step - 1) / step);
}

std::optional<Error> AggregationLines::CheckNewMapName(const MetadataLine& line,
                                                       const std::string& map) {
  if (auto previous = map_lines_.find(map); previous != map_lines_.end()) {
    return LineError(line.number,
                     fmt::format("map `{}` is already described at line {}",
                                 map, previous->second));
  }
  map_lines_[map] = line.number;
  return std::nullopt;
}

std::optional<Error> AggregationLines::ParseAggregation(const MetadataLine& line) {
  if (auto error = CheckValueCount(line, 8)) return error;
  AggregationInfo info;
  info.map = std::string(line.values[1]);
  info.name = info.map;

  std::optional<AggregationKind> kind = ParseAggregationKind(line.values[2]);
  if (!kind) {
    return LineError(line.number,
                     fmt::format("aggregation `{}` has unknown KIND `{}`; "
                                 "expected one of count sum avg min max "
                                 "stats histogram linear",
                                 info.map, line.values[2]));
  }
  info.kind = *kind;
  ErrorOr<SourcePosition> position = ParsePosition(line, 3);
  if (!position) return position.TakeError();
  info.position = *position;
  ErrorOr<FieldType> value_type = ParseValueType(line, info.kind);
  if (!value_type) return value_type.TakeError();
  info.value_type = *value_type;
  ErrorOr<uint32_t> key_size = ParseNumber(line, 6, "KEY-SIZE");
  if (!key_size) return key_size.TakeError();
  info.key_size = *key_size;
  ErrorOr<uint32_t> max_entries = ParseNumber(line, 7, "MAX-ENTRIES");
  if (!max_entries) return max_entries.TakeError();
  info.max_entries = *max_entries;
  ErrorOr<std::optional<uint32_t>> drop_slot = ParseDropSlot(line, 8);
  if (!drop_slot) return drop_slot.TakeError();
  info.drop_slot = *drop_slot;

  if (info.key_size == 0 && info.drop_slot) {
    return LineError(line.number,
                     fmt::format("keyless aggregation `{}` has DROP-SLOT {}; "
                                 "a keyless map cannot drop and has `-`",
                                 info.map, *info.drop_slot));
  }
  if (auto error = CheckNewMapName(line, info.map)) return error;
  owner_ = Owner{/*is_store=*/false, aggregations_.size()};
  aggregations_.push_back(std::move(info));
  return std::nullopt;
}

std::optional<Error> AggregationLines::ParseStore(const MetadataLine& line) {
  // Version 5 added VALUE-SIZE; older lines end with DROP-SLOT.
  bool has_value_size = line.values.size() == 8;
  if (auto error = CheckValueCount(line, has_value_size ? 7 : 6)) return error;
  StoreInfo info;
  info.map = std::string(line.values[1]);
  ErrorOr<SourcePosition> position = ParsePosition(line, 2);
  if (!position) return position.TakeError();
  info.position = *position;
  ErrorOr<uint32_t> key_size = ParseNumber(line, 4, "KEY-SIZE");
  if (!key_size) return key_size.TakeError();
  info.key_size = *key_size;
  ErrorOr<uint32_t> max_entries = ParseNumber(line, 5, "MAX-ENTRIES");
  if (!max_entries) return max_entries.TakeError();
  info.max_entries = *max_entries;
  ErrorOr<std::optional<uint32_t>> drop_slot = ParseDropSlot(line, 6);
  if (!drop_slot) return drop_slot.TakeError();
  info.drop_slot = *drop_slot;
  if (has_value_size) {
    ErrorOr<uint32_t> value_size = ParseNumber(line, 7, "VALUE-SIZE");
    if (!value_size) return value_size.TakeError();
    if (*value_size == 0 || *value_size % 8 != 0) {
      return LineError(line.number,
                       fmt::format("store `{}` has VALUE-SIZE {}; it must be a "
                                   "positive multiple of 8",
                                   info.map, *value_size));
    }
    info.value_size = *value_size;
  }

  if (info.key_size == 0) {
    return LineError(line.number,
                     fmt::format("store `{}` has KEY-SIZE 0; a store is keyed",
                                 info.map));
  }
  if (auto error = CheckNewMapName(line, info.map)) return error;
  owner_ = Owner{/*is_store=*/true, stores_.size()};
  stores_.push_back(std::move(info));
  return std::nullopt;
}

std::optional<Error> AggregationLines::ParseKey(const MetadataLine& line) {
  if (auto error = CheckValueCount(line, 5)) return error;
  std::string_view map = line.values[1];
  std::string_view name = line.values[2];
  const std::string* owner_map =
      !owner_ ? nullptr
      : owner_->is_store ? &stores_[owner_->index].map
                         : &aggregations_[owner_->index].map;
  if (owner_map == nullptr || *owner_map != map) {
    return LineError(line.number,
                     fmt::format("`key` line for map `{}` does not follow the "
                                 "`aggregation` or `store` line of `{}`",
                                 map, map));
  }

  std::optional<FieldType> type = ParseFieldType(line.values[3]);
  if (!type) {
    return LineError(line.number,
                     fmt::format("key `{}` of map `{}` has unknown type `{}`",
                                 name, map, line.values[3]));
  }
  ErrorOr<uint32_t> offset = ParseNumber(line, 4, "key OFFSET");
  if (!offset) return offset.TakeError();
  ErrorOr<uint32_t> size = ParseNumber(line, 5, "key SIZE");
  if (!size) return size.TakeError();
  if (auto error = CheckTypeSize(line, *type, *size, name)) return error;

  FieldInfo field{std::string(name), *type, *offset, *size};
  std::vector<FieldInfo>& key = owner_->is_store ? stores_[owner_->index].key
                                                 : aggregations_[owner_->index].key;
  for (const FieldInfo& other : key) {
    if (other.name == field.name) {
      return LineError(line.number,
                       fmt::format("map `{}` has two key fields named `{}`",
                                   map, field.name));
    }
  }
  key.push_back(std::move(field));
  return std::nullopt;
}

std::optional<Error> AggregationLines::ParseLinear(const MetadataLine& line) {
  if (auto error = CheckValueCount(line, 4)) return error;
  std::string_view map = line.values[1];
  if (!owner_ || owner_->is_store || aggregations_[owner_->index].map != map ||
      aggregations_[owner_->index].kind != AggregationKind::kLinear) {
    return LineError(line.number,
                     fmt::format("`linear` line for map `{}` does not follow "
                                 "the `aggregation` line of a linear "
                                 "histogram `{}`",
                                 map, map));
  }
  AggregationInfo& info = aggregations_[owner_->index];
  if (info.linear) {
    return LineError(line.number,
                     fmt::format("aggregation `{}` has a second `linear` line",
                                 map));
  }

  ErrorOr<int64_t> min = ParseSignedNumber64(line, 2, "linear MIN");
  if (!min) return min.TakeError();
  ErrorOr<int64_t> max = ParseSignedNumber64(line, 3, "linear MAX");
  if (!max) return max.TakeError();
  ErrorOr<int64_t> step = ParseSignedNumber64(line, 4, "linear STEP");
  if (!step) return step.TakeError();
  LinearRange range{*min, *max, *step};
  if (range.step <= 0 || range.max <= range.min ||
      range.BucketCount() > kMaxLinearBuckets) {
    return LineError(line.number,
                     fmt::format("linear histogram `{}` has MIN {}, MAX {}, "
                                 "STEP {}; expected MIN < MAX, STEP > 0 and at "
                                 "most {} buckets",
                                 map, range.min, range.max, range.step,
                                 kMaxLinearBuckets));
  }
  info.linear = range;
  return std::nullopt;
}

std::optional<Error> AggregationLines::ParseGlobal(const MetadataLine& line) {
  if (auto error = CheckValueCount(line, 4)) return error;
  GlobalInfo global;
  global.name = std::string(line.values[1]);
  std::optional<FieldType> type = ParseFieldType(line.values[2]);
  if (!type || IsStack(*type) || *type == FieldType::kString) {
    return LineError(line.number,
                     fmt::format("global `{}` has TYPE `{}`; expected an "
                                 "integer type, `bool`, `duration` or "
                                 "`filesize`",
                                 global.name, line.values[2]));
  }
  global.type = *type;
  ErrorOr<uint32_t> offset = ParseNumber(line, 3, "global OFFSET");
  if (!offset) return offset.TakeError();
  global.offset = *offset;
  ErrorOr<uint32_t> size = ParseNumber(line, 4, "global SIZE");
  if (!size) return size.TakeError();
  global.size = *size;
  if (auto error = CheckTypeSize(line, global.type, global.size, global.name)) {
    return error;
  }

  if (auto previous = global_lines_.find(global.name);
      previous != global_lines_.end()) {
    return LineError(line.number,
                     fmt::format("global `{}` is already described at line {}",
                                 global.name, previous->second));
  }
  global_lines_[global.name] = line.number;
  globals_.push_back(std::move(global));
  return std::nullopt;
}

// A counter is a count aggregation whose key, when it has one, is a single
// field that fills the whole key.
std::optional<Error> AggregationLines::ParseCounter(const MetadataLine& line) {
  if (auto error = CheckValueCount(line, 7)) return error;
  AggregationInfo info;
  info.map = std::string(line.values[1]);
  info.name = std::string(line.values[2]);
  ErrorOr<SourcePosition> position = ParsePosition(line, 3);
  if (!position) return position.TakeError();
  info.position = *position;
  ErrorOr<uint32_t> key_size = ParseNumber(line, 7, "counter KEY-SIZE");
  if (!key_size) return key_size.TakeError();

  std::string_view key_name = line.values[5];
  std::string_view key_type_name = line.values[6];
  bool keyless = key_name == "-" && key_type_name == "-" && *key_size == 0;
  if (!keyless) {
    if (key_name == "-" || key_type_name == "-" || *key_size == 0) {
      return LineError(
          line.number,
          fmt::format("counter `{}` has key `{}`, type `{}`, size "
                      "{}; a keyless counter has `-`, `-`, 0 and "
                      "a keyed one has all three",
                      info.map, key_name, key_type_name, *key_size));
    }
    std::optional<FieldType> key_type = ParseFieldType(key_type_name);
    if (!key_type) {
      return LineError(line.number,
                       fmt::format("counter `{}` has unknown key type `{}`",
                                   info.map, key_type_name));
    }
    if (auto error = CheckTypeSize(line, *key_type, *key_size, key_name)) {
      return error;
    }
    info.key_size = *key_size;
    info.key.push_back(FieldInfo{std::string(key_name), *key_type, 0, *key_size});
  }

  if (auto error = CheckNewMapName(line, info.map)) return error;
  owner_.reset();
  aggregations_.push_back(std::move(info));
  return std::nullopt;
}

std::optional<Error> AggregationLines::CheckKeys(
    const std::string& map, uint32_t key_size,
    const std::vector<FieldInfo>& key) const {
  uint32_t line_number = map_lines_.at(map);
  if (key_size == 0 && !key.empty()) {
    return LineError(line_number,
                     fmt::format("keyless map `{}` has `key` lines", map));
  }
  if (key_size != 0 && key.empty()) {
    return LineError(line_number,
                     fmt::format("map `{}` has a {}-byte key but no `key` "
                                 "lines",
                                 map, key_size));
  }
  // The reader decodes each field from the key bytes it trusts, so every
  // field must lie inside the key.
  for (const FieldInfo& field : key) {
    uint64_t end = uint64_t{field.offset} + field.size;
    if (end > key_size) {
      return LineError(line_number,
                       fmt::format("key `{}` of map `{}` covers bytes {}..{}, "
                                   "outside its {}-byte key",
                                   field.name, map, field.offset, end,
                                   key_size));
    }
  }
  return std::nullopt;
}

std::optional<Error> AggregationLines::MoveTo(Metadata& metadata) {
  for (const AggregationInfo& info : aggregations_) {
    if (auto error = CheckKeys(info.map, info.key_size, info.key)) return error;
    if (info.kind == AggregationKind::kLinear && !info.linear) {
      return LineError(map_lines_.at(info.map),
                       fmt::format("linear histogram `{}` has no `linear` line",
                                   info.map));
    }
  }
  for (const StoreInfo& info : stores_) {
    if (auto error = CheckKeys(info.map, info.key_size, info.key)) return error;
  }
  metadata.aggregations = std::move(aggregations_);
  metadata.stores = std::move(stores_);
  metadata.globals = std::move(globals_);
  return std::nullopt;
}

}  // namespace nubpf::runtime
