// Quotes byte strings as JSON and NUON string literals, appending to a
// buffer that the caller reuses from record to record.
#pragma once

#include <string>
#include <string_view>

namespace nubpf::runtime {

// Appends `bytes` as a JSON string to `out`. `"` and `\` get a backslash,
// control characters U+0000..U+001F become \n, \t, \r or \u00XX, and each
// byte that is not part of well-formed UTF-8 (Utf8SequenceLength()) becomes
// \ufffd, the replacement character, so the result is valid JSON for any
// input.
void AppendJsonQuoted(std::string& out, std::string_view bytes);

// Appends `bytes` as a Nushell string to `out`: as AppendJsonQuoted() does,
// except that the \u escapes take the braced form Nushell reads,
// \u{00XX} and \u{fffd}.
void AppendNuonQuoted(std::string& out, std::string_view bytes);

}  // namespace nubpf::runtime
