// State that outlives one probe run: keyed stores (`store set`,
// `start-timer`) and globals (top-level `mut`). The checker fills these
// tables of the MIR module and the backend turns them into maps and `.data`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/types.h"
#include "frontend/source.h"

namespace nubpf::mir {

// One field of a map key. Fields go in order, each aligned to its size
// (strings and stacks to 8), and the key's size is rounded up to 8, so
// `{comm: $e.comm, pid: $e.pid}` is comm at 0 (16 bytes) and pid at 16, 24
// bytes in all.
struct KeyField {
  std::string name;
  Type type;
  uint32_t offset = 0;
};

// Default MAX-ENTRIES of a keyed map without `--max-entries`.
inline constexpr uint32_t kDefaultMaxEntries = 10240;

// A keyed store: one BPF_MAP_TYPE_HASH shared by every CPU and probe, from
// KEY to an i64 (a bool is stored as 0 or 1).
struct Store {
  // The store's NAME, which is also its map symbol.
  std::string name;
  // The first `store set` or `start-timer` of the name, where the metadata
  // places the store.
  frontend::Span span;
  std::vector<KeyField> key;
  uint32_t key_size = 0;
  // The value type: an i64 (with `unit` for durations and file sizes) or a
  // bool.
  Type value_type = Type::Int(64, true);
  Unit value_unit = Unit::kNone;
  uint32_t max_entries = kDefaultMaxEntries;
  // The slot of `nubpf_drops` that counts failed inserts.
  uint32_t drop_slot = 0;
  // For the checker: the first `store set` or `start-timer` of the name,
  // and the first read (`store get`, `stop-timer`, `store delete`). A read
  // checked before any set takes the value type as an int, which the
  // first set must then agree with.
  std::optional<frontend::Span> first_set;
  std::optional<frontend::Span> first_read;
};

// A top-level `mut NAME = LITERAL`: a variable in `.data` that every probe
// reads and updates, and the loader prints at exit.
struct Global {
  std::string name;
  frontend::Span span;
  Type type = Type::Int(64, true);  // i64 or bool
  Unit unit = Unit::kNone;
  int64_t initial = 0;
  // Bytes from the start of `.data`: globals are 8-byte slots in order.
  uint32_t offset = 0;
};

}  // namespace nubpf::mir
