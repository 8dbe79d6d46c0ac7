#include "runtime/skeleton_support.h"

#include <fmt/core.h>

namespace nubpf::runtime {
namespace {

Error MissingFromObject(const Session& session, std::string_view what, std::string_view name) {
  Error error;
  error.message = fmt::format("`{}` has no {} `{}`", session.name(), what, name);
  error.help = "rebuild the skeleton header from the same probe file as the object";
  return error;
}

}  // namespace

ErrorOr<std::vector<DecodedAggregationRow>> ReadAggregationByName(Session& session,
                                                                  std::string_view map) {
  for (const AggregationInfo& info : session.metadata().aggregations) {
    if (info.map != map) continue;
    ErrorOr<std::vector<AggregationRow>> rows = session.ReadAggregation(info);
    if (!rows) return rows.TakeError();

    std::vector<DecodedAggregationRow> decoded;
    for (AggregationRow& row : *rows) {
      decoded.push_back({DecodeAggregationKey(info, row.key), std::move(row.value)});
    }
    return decoded;
  }
  return MissingFromObject(session, "aggregation", map);
}

ErrorOr<FieldValue> ReadGlobalByName(Session& session, std::string_view name) {
  const std::vector<GlobalInfo>& globals = session.metadata().globals;
  for (size_t i = 0; i < globals.size(); ++i) {
    if (globals[i].name != name) continue;
    ErrorOr<std::vector<FieldValue>> values = session.ReadGlobals();
    if (!values) return values.TakeError();
    return std::move(values->at(i));
  }
  return MissingFromObject(session, "global", name);
}

}  // namespace nubpf::runtime
