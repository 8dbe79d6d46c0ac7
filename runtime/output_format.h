// The output formats of nubpf-run and the text of one value in each:
// fixed-width table columns for people; JSON lines, NUON lines and CSV for
// programs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/event_decoder.h"
#include "runtime/metadata.h"

namespace nubpf::runtime {

// kJson and kNuon write one record per line; kCsv writes a header row
// before each block of rows with the same columns.
enum class OutputFormat { kTable, kJson, kNuon, kCsv };

// Parses `table`, `json`, `nuon` or `csv`; nullopt for anything else.
std::optional<OutputFormat> ParseOutputFormat(std::string_view name);

// Returns the length of the well-formed UTF-8 sequence (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF) that starts at
// `text[index]`, or 0 when the byte there does not start one.
size_t Utf8SequenceLength(std::string_view text, size_t index);

// Returns AppendJsonQuoted() of `bytes`.
std::string JsonQuote(std::string_view bytes);

// Appends `number` in decimal to `out`.
void AppendDecimal(std::string& out, uint64_t number);
void AppendDecimal(std::string& out, int64_t number);

// Appends a JSON number for integers (every 64-bit value exact), `true` or
// `false`, a quoted string, or for a stack an array of its frames as
// strings, top frame first: `["do_syscall_64+0x5a", "0xffffffffc0a01234"]`.
void AppendJsonValue(std::string& out, const FieldValue& value);

// Returns AppendJsonValue() of `value`.
std::string JsonValue(const FieldValue& value);

// Appends `bytes` ready for one table cell: well-formed UTF-8 is kept, and
// control characters and bytes that are not UTF-8 become \xNN, so a
// string can neither break the line nor garble the terminal.
void AppendTableText(std::string& out, std::string_view bytes);

// Returns AppendTableText() of `bytes`.
std::string TableText(std::string_view bytes);

// Counts the code points of UTF-8 text: its width on a terminal when every
// character is one column wide.
size_t DisplayWidth(std::string_view text);

// Returns the lines of a value in a table cell. A stack gives one line per
// frame, top frame first, or `(no frames)`. Any other value gives one
// line: a decimal number, `true` or `false`, or TableText() of a string.
std::vector<std::string> TableLines(const FieldValue& value);

// Returns TableLines() joined with newlines.
std::string TableValue(const FieldValue& value);

// Appends the one line of a value that is not a stack, as TableValue()
// gives it.
void AppendTableScalar(std::string& out, const FieldValue& value);

// Formats a value as Nushell's string interpolation shows it: a decimal
// number, `true` or `false`, or a string's bytes as they are, unquoted and
// unescaped. A stack, which no `print` of nubpfc sends, gives its frames
// separated by newlines.
std::string FormatInterpolatedValue(const FieldValue& value);

// Returns the column width of a value of `type` and `size`. Numbers get
// the length of the type's longest value (20 for u64 and i64) and bools 5.
// Strings get their size less the NUL, at most 32, so that long paths do
// not push the other columns off the screen, and stacks 32.
size_t ColumnWidth(FieldType type, uint32_t size);

// Numbers align right; strings, bools and stacks left.
bool IsRightAligned(FieldType type);

// Pads `text` with spaces to `width` display columns, on the left when
// `right_aligned`; text already that wide is returned whole, never cut.
std::string PadCell(std::string_view text, size_t width, bool right_aligned);

// Pads the text that `out` contains from `cell_start` on as PadCell()
// does, in place.
void PadCellInPlace(std::string& out, size_t cell_start, size_t width, bool right_aligned);

}  // namespace nubpf::runtime
