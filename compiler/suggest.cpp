#include "compiler/suggest.h"

#include <algorithm>

namespace nubpf::compiler {

// Levenshtein distance with one row of the dynamic-programming table.
static size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string NearestName(std::string_view name,
                        const std::vector<std::string>& candidates) {
  // A third of the name, rounded up, and never the whole name: `cuont`
  // suggests `count`, but `x` suggests nothing.
  size_t limit = std::max<size_t>(1, (name.size() + 2) / 3);
  if (limit >= name.size()) limit = name.size() - (name.empty() ? 0 : 1);
  std::string best;
  size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    size_t distance = EditDistance(name, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace nubpf::compiler
