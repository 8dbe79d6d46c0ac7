// Parses the value of `nubpf-run --duration` and `--interval`.
#pragma once

#include <chrono>
#include <string_view>

#include "runtime/error.h"

namespace nubpf::runtime {

// Parses a whole number followed by a unit, Nushell spellings first: `ms`,
// `sec` or `s`, `min`, `hr` or `h`. A bare number is seconds. Rejects
// fractions, signs, spaces, unknown units and values above 3650 days,
// with an error (exit code kUsage) that names `flag` and lists the
// accepted forms.
//
// Examples: `5sec` and `5` are 5 s, `500ms` is 0.5 s, `2min` is 120 s.
ErrorOr<std::chrono::milliseconds> ParseDuration(std::string_view text,
                                                 std::string_view flag = "--duration");

}  // namespace nubpf::runtime
