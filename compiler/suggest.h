// "Did you mean" suggestions for misspelled names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nubpf::compiler {

// Returns the candidate closest to `name` by edit distance, or an empty
// string when none is close enough to be a likely typo: more than a third
// of the name's length away, or as far as the name is long.
std::string NearestName(std::string_view name,
                        const std::vector<std::string>& candidates);

}  // namespace nubpf::compiler
