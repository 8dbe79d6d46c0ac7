// The matching of aggregation sites to maps. The copies of one site are
// the checks of a list loop body per element and of a `def` body per call.
// They share a map, as the sites of one `--as` name do, when their kinds,
// key field names and kinds, value units and map flags agree. Their key
// fields may differ in string capacity and int width, and the map's field
// then takes a type that can store each site's values:
//
//   count --by {op: "read"} --as ops     # op: string[5]
//   count --by {op: "write"} --as ops    # op: string[6]
//
// give one map `ops` keyed by {op: string[6]} (8 bytes). The backend writes
// each site's string into the zeroed field, so "read" ends in zeros, as the
// same string from a string[6] site would.

#include <algorithm>

#include "compiler/probe_checker.h"

namespace nubpf::compiler {

using mir::AggregationKind;
using mir::Type;
using mir::TypeKind;

namespace {

uint32_t AlignTo(uint32_t offset, uint32_t alignment) {
  return (offset + alignment - 1) / alignment * alignment;
}

// Sets the offsets and the size of the key from its field types: each
// field aligned to its size (strings and stacks to 8), and the key to 8.
void LayOutKey(mir::Aggregation* aggregation) {
  uint32_t size = 0;
  for (mir::KeyField& field : aggregation->key) {
    bool is_buffer =
        field.type.kind == TypeKind::kString || field.type.kind == TypeKind::kStack;
    field.offset = AlignTo(size, is_buffer ? 8 : field.type.SizeInBytes());
    size = field.offset + field.type.SizeInBytes();
  }
  aggregation->key_size = AlignTo(size, 8);
}

// Returns the type of a key field that can store the values of types `a`
// and `b`: the larger string capacity, the wider of two ints of one
// signedness, or i64 for ints of both signednesses. Returns nullopt when
// no type can store both, such as a u64 and a signed int, or a string and
// an int.
std::optional<Type> UnifyKeyTypes(const Type& a, const Type& b) {
  if (a == b) return a;
  if (a.kind == TypeKind::kString && b.kind == TypeKind::kString) {
    return Type::String(std::max(a.capacity, b.capacity));
  }
  if (a.kind != TypeKind::kInt || b.kind != TypeKind::kInt) return std::nullopt;
  if (a.is_signed == b.is_signed) return a.bits >= b.bits ? a : b;
  bool has_u64 = (!a.is_signed && a.bits == 64) || (!b.is_signed && b.bits == 64);
  if (has_u64) return std::nullopt;
  return Type::Int(64, /*is_signed=*/true);
}

// Returns the key that one map of `a` and `b` needs, or nullopt when one map
// cannot store both because of a different kind, unit, key field name, key
// field kind or map setting.
std::optional<std::vector<mir::KeyField>> MergedKey(const mir::Aggregation& a,
                                                    const mir::Aggregation& b) {
  if (a.kind != b.kind || a.unit != b.unit || a.key.size() != b.key.size() ||
      a.max_entries != b.max_entries || a.lru != b.lru) {
    return std::nullopt;
  }
  if (a.kind == AggregationKind::kLinear &&
      (a.linear_min != b.linear_min || a.linear_max != b.linear_max ||
       a.linear_step != b.linear_step)) {
    return std::nullopt;
  }
  std::vector<mir::KeyField> key = a.key;
  for (size_t i = 0; i < key.size(); ++i) {
    if (a.key[i].name != b.key[i].name) return std::nullopt;
    std::optional<Type> type = UnifyKeyTypes(a.key[i].type, b.key[i].type);
    if (!type) return std::nullopt;
    key[i].type = *type;
  }
  return key;
}

// Describes an aggregation's kind, unit and key for the error that two
// sites disagree.
std::string MapDescription(const mir::Aggregation& aggregation) {
  std::string text = std::string("`") + mir::AggregationKindName(aggregation.kind) + "`";
  if (aggregation.unit == mir::Unit::kDuration) text += " of durations";
  if (aggregation.unit == mir::Unit::kFileSize) text += " of file sizes";
  if (aggregation.key.empty()) return text + " without a key";
  text += " by {";
  for (size_t i = 0; i < aggregation.key.size(); ++i) {
    const mir::KeyField& field = aggregation.key[i];
    text += (i == 0 ? "" : ", ") + field.name + ": " + field.type.ToString();
  }
  return text + "}";
}

std::string LinearFlag(const mir::Aggregation& aggregation) {
  return "`--linear " + std::to_string(aggregation.linear_min) + " " +
         std::to_string(aggregation.linear_max) + " " +
         std::to_string(aggregation.linear_step) + "`";
}

std::string MaxEntriesFlag(const mir::Aggregation& aggregation) {
  std::string flag = "`--max-entries " + std::to_string(aggregation.max_entries) + "`";
  if (aggregation.max_entries == mir::kDefaultMaxEntries) flag += " (the default)";
  return flag;
}

// The message and help of the error that a site and an earlier site of its
// map (at `place`) differ. They name the flag that differs when the kind,
// unit and key agree.
struct Difference {
  std::string message;
  std::string help;
};

Difference DescribeDifference(const mir::Aggregation& site, const mir::Aggregation& first,
                              const std::string& place) {
  std::string rename = ", or give one of them another name with `--as`";
  if (MapDescription(site) != MapDescription(first)) {
    return {"is " + MapDescription(site) + " here, but " + MapDescription(first) + place,
            "give one of them another name with `--as`"};
  }
  if (site.kind == AggregationKind::kLinear && LinearFlag(site) != LinearFlag(first)) {
    return {"has " + LinearFlag(site) + " here, but " + LinearFlag(first) + place,
            "give both the same buckets" + rename};
  }
  if (site.max_entries != first.max_entries) {
    return {"has " + MaxEntriesFlag(site) + " here, but " + MaxEntriesFlag(first) + place,
            "give both the same `--max-entries`" + rename};
  }
  return {site.lru ? "has `--lru` here, but no `--lru`" + place
                   : "has no `--lru` here, but `--lru`" + place,
          "give `--lru` to both or to neither" + rename};
}

}  // namespace

// Returns the index of the aggregation the site updates: the same site
// checked again (a list loop or a def body), or another site of the same
// `--as` name, or a new one. A site that joins a map widens the map's key
// fields to hold its values, and the key is laid out again.
std::optional<uint32_t> ProbeChecker::AddAggregation(mir::Aggregation aggregation) {
  std::vector<mir::Aggregation>& aggregations = module_->aggregations;
  for (size_t i = 0; i < aggregations.size(); ++i) {
    mir::Aggregation& other = aggregations[i];
    bool same_site = other.span.begin == aggregation.span.begin &&
                     other.span.end == aggregation.span.end;
    bool same_name = !aggregation.explicit_name.empty() &&
                     other.explicit_name == aggregation.explicit_name;
    bool same_base = other.base_name == aggregation.base_name &&
                     other.explicit_name == aggregation.explicit_name;
    if (!same_name && !(same_site && same_base)) continue;

    std::optional<std::vector<mir::KeyField>> key = MergedKey(other, aggregation);
    if (key) {
      other.key = std::move(*key);
      LayOutKey(&other);
      return static_cast<uint32_t>(i);
    }
    // The copies of a site without `--as` that cannot share a map get one
    // each, named with `_2`, `_3`.
    if (!same_name) continue;

    if (same_site) {
      Difference difference =
          DescribeDifference(aggregation, other, " in an earlier copy of this site");
      diagnostics_.Error(aggregation.span,
                         "the aggregation `" + aggregation.explicit_name + "` " +
                             difference.message,
                         "the copies of one site in a loop or a `def` share its map, so "
                         "give its key the same kinds in each copy, or drop `--as` to "
                         "give each copy a map of its own");
      return std::nullopt;
    }
    Difference difference = DescribeDifference(aggregation, other, " at its first site");
    frontend::Diagnostic& error = diagnostics_.Error(
        aggregation.span,
        "the aggregation `" + aggregation.explicit_name + "` " + difference.message,
        difference.help);
    error.labels.push_back({other.span, "first use of `" + other.explicit_name + "`"});
    return std::nullopt;
  }
  LayOutKey(&aggregation);
  aggregations.push_back(std::move(aggregation));
  return static_cast<uint32_t>(aggregations.size() - 1);
}

// Gives each aggregation its map name once every probe is checked, so that
// a derived name never takes an `--as` name that a later site gives. The
// `--as` names come first, then the derived names in site order, with `_2`,
// `_3` after a name already in use. Then the aggregations that can drop a
// key get their slots in `nubpf_drops`.
void AssignAggregationNames(mir::Module* module) {
  std::set<std::string> taken;
  for (mir::Aggregation& aggregation : module->aggregations) {
    if (aggregation.explicit_name.empty()) continue;
    aggregation.name = aggregation.explicit_name;
    taken.insert(aggregation.name);
  }
  for (mir::Aggregation& aggregation : module->aggregations) {
    if (!aggregation.explicit_name.empty()) continue;
    std::string name = aggregation.base_name;
    for (int suffix = 2; taken.count(name) > 0; ++suffix) {
      name = aggregation.base_name + "_" + std::to_string(suffix);
    }
    aggregation.name = name;
    taken.insert(name);
  }

  for (mir::Aggregation& aggregation : module->aggregations) {
    if (aggregation.key.empty() || aggregation.lru) continue;
    aggregation.drop_slot = static_cast<int32_t>(module->drop_slots++);
  }
}

}  // namespace nubpf::compiler
