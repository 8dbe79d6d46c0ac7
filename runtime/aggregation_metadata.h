// The `aggregation`, `key`, `linear`, `store` and `global` lines of the
// `.nubpf` metadata (version 3), and the `counter` lines of versions 1 and
// 2, which become `count` aggregations. Only metadata.cpp includes this
// header.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/error.h"
#include "runtime/metadata.h"
#include "runtime/metadata_lines.h"

namespace nubpf::runtime {

// Collects the lines as the parser meets them. `key` and `linear` lines
// belong to the `aggregation` or `store` line before them, so the lines
// are checked against each other once the whole section is read.
class AggregationLines {
 public:
  // aggregation MAP KIND LINE COLUMN VALUE-TYPE KEY-SIZE MAX-ENTRIES DROP-SLOT
  std::optional<Error> ParseAggregation(const MetadataLine& line);
  // key MAP NAME TYPE OFFSET SIZE
  std::optional<Error> ParseKey(const MetadataLine& line);
  // linear MAP MIN MAX STEP
  std::optional<Error> ParseLinear(const MetadataLine& line);
  // store MAP LINE COLUMN KEY-SIZE MAX-ENTRIES DROP-SLOT
  std::optional<Error> ParseStore(const MetadataLine& line);
  // global NAME TYPE OFFSET SIZE
  std::optional<Error> ParseGlobal(const MetadataLine& line);
  // counter MAP LABEL LINE COLUMN KEY-NAME KEY-TYPE KEY-SIZE (versions 1, 2)
  std::optional<Error> ParseCounter(const MetadataLine& line);

  // Moves the aggregations, stores and globals into `metadata`. Rejects a
  // keyed map without `key` lines, a keyless one with some, a `key` line
  // outside its key, a `linear` aggregation without its `linear` line and
  // two maps or two globals of one name.
  std::optional<Error> MoveTo(Metadata& metadata);

 private:
  // The `aggregation` or `store` line that `key` and `linear` lines may
  // follow, as an index into `aggregations_` or `stores_`.
  struct Owner {
    bool is_store = false;
    size_t index = 0;
  };

  std::optional<Error> CheckNewMapName(const MetadataLine& line,
                                       const std::string& map);
  std::optional<Error> CheckKeys(const std::string& map, uint32_t key_size,
                                 const std::vector<FieldInfo>& key) const;

  std::vector<AggregationInfo> aggregations_;
  std::vector<StoreInfo> stores_;
  std::vector<GlobalInfo> globals_;
  std::optional<Owner> owner_;
  // The line of each map and global, for duplicate names and errors.
  std::map<std::string, uint32_t> map_lines_;
  std::map<std::string, uint32_t> global_lines_;
};

}  // namespace nubpf::runtime
