// The template of a `print` line in the `.nubpf` metadata: the text of a
// `print $"..."` with a `{N}` where field N of the event goes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "runtime/error.h"

namespace nubpf::runtime {

// A `{N}` of a template: the value of field N of the event, 0-based in
// `field` line order.
struct PrintField {
  uint32_t index = 0;

  bool operator==(const PrintField& other) const {
    return index == other.index;
  }
};

// One piece of a template: literal text, with its escapes and doubled
// braces already resolved, or a field.
using PrintPart = std::variant<std::string, PrintField>;

// A parsed template, in the order its pieces print. Adjacent text pieces
// are merged, so no two strings follow each other.
struct PrintTemplate {
  std::vector<PrintPart> parts;
};

// Parses the TEMPLATE of a `print` line of an event with `field_count`
// fields.
//
//   template  = { text | field | "{{" | "}}" | escape }
//   field     = "{" digit { digit } "}"
//   escape    = "\t" | "\n" | "\\"
//
// Example: `{0} pid={1}\n{{ok}}` is field 0, ` pid=`, field 1, then a
// newline and `{ok}`. Rejects a field index of `field_count` or more, a `{`
// that starts neither `{{` nor a field, a `}` that is not part of `}}` or a
// field, and any escape other than the three above. The error message gives
// the byte offset in `text`, counted from 0.
ErrorOr<PrintTemplate> ParsePrintTemplate(std::string_view text,
                                          size_t field_count);

}  // namespace nubpf::runtime
