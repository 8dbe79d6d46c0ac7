// The items of an object that `nubpf-run --list` shows without loading
// it: probes, maps, parameters, event layouts, aggregations, stores and
// globals. They come from the `.nubpf` metadata and, for the maps, from
// libbpf's open of the object, which needs no privileges.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "runtime/error.h"
#include "runtime/metadata.h"

struct bpf_object;

namespace nubpf::runtime {

struct ListingRecord;

// A value of a listing column: null, a string, a number, or a list of
// records, such as the fields of an event.
using ListingValue =
    std::variant<std::monostate, std::string, uint64_t, std::vector<ListingRecord>>;

struct ListingColumn {
  std::string name;
  ListingValue value;
};

// One item of the object. The first column of a top-level record is
// `kind`: `probe`, `map`, `parameter`, `event`, `aggregation`, `store` or
// `global`, in that order in a listing.
struct ListingRecord {
  std::vector<ListingColumn> columns;
};

// Returns the records of `metadata` and of the maps of `object`, opened
// but not loaded, grouped by kind in the order above.
std::vector<ListingRecord> ListObjectItems(const Metadata& metadata, bpf_object* object);

// Reads the metadata of object `path`, opens it with libbpf without
// loading it, and returns ListObjectItems(). Fails as the loader's first
// steps fail: a missing file, no `.nubpf` section, metadata this nubpf-run
// cannot read, an object libbpf cannot open.
ErrorOr<std::vector<ListingRecord>> ListObject(const std::string& path);

}  // namespace nubpf::runtime
