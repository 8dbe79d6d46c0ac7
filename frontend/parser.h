// The parser: turns a probe file into a File syntax tree.
//
// It reads the Nushell subset by recursive descent over the lexer's tokens.
// After an error it skips to the end of the statement, or of the probe, and
// goes on, so one run reports several errors. It stops on any input: every
// loop consumes a token or ends, and nesting deeper than a fixed limit is an
// error.
#pragma once

#include "frontend/ast.h"
#include "frontend/diagnostics.h"
#include "frontend/source.h"

namespace nubpf::frontend {

// Parses `file` into `out`, reporting errors and warnings to `diagnostics`.
// Returns false when this call reported any error. `out` then contains the
// items that could be read, which later stages should not rely on.
bool Parse(const SourceFile& file, DiagnosticSink& diagnostics, File* out);

}  // namespace nubpf::frontend
