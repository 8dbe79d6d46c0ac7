#include "compiler/suggest.h"

#include <algorithm>
#include <array>

namespace nubpf::compiler {

// Levenshtein distance with one row of the dynamic-programming table, or
// any value above `bound` once the distance is sure to exceed it. A row's
// minimum never decreases from one row to the next, so a row whose
// minimum is above `bound` ends the walk. The kernel has tens of thousands
// of functions to compare a misspelled one with, and most end in a few rows.
static size_t EditDistance(std::string_view a, std::string_view b, size_t bound) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    size_t row_minimum = row[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
      row_minimum = std::min(row_minimum, row[j]);
      diagonal = above;
    }
    if (row_minimum > bound) return bound + 1;
  }
  return row[b.size()];
}

// A lower bound of the edit distance that takes time linear in the
// candidate's length: the bytes of one string that the other lacks, counted
// as multisets, each need an edit. `name_counts` is the count of each byte
// in `name`.
static size_t MultisetDistance(std::string_view name, const std::array<size_t, 256>& name_counts,
                               std::string_view candidate) {
  std::array<size_t, 256> remaining = name_counts;
  size_t unmatched = 0;
  for (char c : candidate) {
    size_t& count = remaining[static_cast<unsigned char>(c)];
    if (count == 0) {
      ++unmatched;
    } else {
      --count;
    }
  }
  size_t matched = candidate.size() - unmatched;
  return std::max(unmatched, name.size() - matched);
}

std::string NearestName(std::string_view name,
                        const std::vector<std::string>& candidates) {
  // A third of the name, rounded up, and never the whole name: `cuont`
  // suggests `count`, but `x` suggests nothing.
  size_t limit = std::max<size_t>(1, (name.size() + 2) / 3);
  if (limit >= name.size()) limit = name.size() - (name.empty() ? 0 : 1);
  std::string best;
  size_t best_distance = limit + 1;
  std::array<size_t, 256> name_counts{};
  for (char c : name) ++name_counts[static_cast<unsigned char>(c)];
  for (const std::string& candidate : candidates) {
    // The distance is at least the difference in length.
    size_t length_difference = name.size() > candidate.size()
                                   ? name.size() - candidate.size()
                                   : candidate.size() - name.size();
    if (length_difference >= best_distance) continue;
    if (MultisetDistance(name, name_counts, candidate) >= best_distance) continue;

    size_t distance = EditDistance(name, candidate, best_distance - 1);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace nubpf::compiler
