// The two ways nubpf-run looks at an object without running it: `--list`,
// which opens it without loading, and `--verify`, which loads every
// program and reports what the verifier did, then unloads them.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

#include "runtime/error.h"
#include "runtime/loader.h"
#include "runtime/output_format.h"

namespace nubpf::runtime {

// Writes the items of object `path` to `out` as PrintListing() does.
// Needs no privileges. `format` must not be kCsv.
std::optional<Error> ListObjectTo(const std::string& path, OutputFormat format,
                                  std::FILE* out);

// Loads object `path` with `options` up to and including the load step,
// without `begin` blocks or attaching, and writes each loaded program's
// verifier figures to `out` as PrintProgramVerifications() does. Fails
// as the loader does, with the verifier's log for a rejected program.
std::optional<Error> VerifyObjectTo(const std::string& path, LoaderOptions options,
                                    OutputFormat format, std::FILE* out);

}  // namespace nubpf::runtime
