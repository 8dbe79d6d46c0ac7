#include "runtime/string_quoting.h"

#include "runtime/output_format.h"

namespace nubpf::runtime {
namespace {

enum class UnicodeEscape {
  // \u001f
  kJson,
  // \u{001f}
  kNuon,
};

// True for the bytes that cannot be copied as they are: `"`, `\`, control
// characters, and the bytes from 0x80 up, which need a UTF-8 check.
bool NeedsEscapeCheck(unsigned char byte) {
  return byte < 0x20 || byte == '"' || byte == '\\' || byte >= 0x80;
}

void AppendUnicodeEscape(std::string& out, std::string_view hex_digits, UnicodeEscape form) {
  if (form == UnicodeEscape::kJson) {
    out += "\\u";
    out += hex_digits;
    return;
  }
  out += "\\u{";
  out += hex_digits;
  out += '}';
}

// Appends the escape of one ASCII byte that NeedsEscapeCheck() flagged.
void AppendAsciiEscape(std::string& out, unsigned char byte, UnicodeEscape form) {
  switch (byte) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\r':
      out += "\\r";
      return;
    default:
      break;
  }
  constexpr std::string_view kHexDigits = "0123456789abcdef";
  const char digits[] = {'0', '0', kHexDigits[byte >> 4], kHexDigits[byte & 0xF]};
  AppendUnicodeEscape(out, std::string_view(digits, sizeof(digits)), form);
}

// Copies each run of plain bytes with one append, and looks at the other
// bytes one sequence at a time: most traced strings (process names, paths)
// are plain ASCII and take the single append.
void AppendQuoted(std::string& out, std::string_view bytes, UnicodeEscape form) {
  out += '"';
  size_t index = 0;
  while (index < bytes.size()) {
    size_t run_end = index;
    while (run_end < bytes.size() && !NeedsEscapeCheck(static_cast<unsigned char>(bytes[run_end]))) {
      ++run_end;
    }
    out.append(bytes.data() + index, run_end - index);
    index = run_end;
    if (index == bytes.size()) break;

    auto byte = static_cast<unsigned char>(bytes[index]);
    if (byte < 0x80) {
      AppendAsciiEscape(out, byte, form);
      ++index;
      continue;
    }
    size_t length = Utf8SequenceLength(bytes, index);
    if (length == 0) {
      AppendUnicodeEscape(out, "fffd", form);
      ++index;
      continue;
    }
    out.append(bytes.data() + index, length);
    index += length;
  }
  out += '"';
}

}  // namespace

void AppendJsonQuoted(std::string& out, std::string_view bytes) {
  AppendQuoted(out, bytes, UnicodeEscape::kJson);
}

void AppendNuonQuoted(std::string& out, std::string_view bytes) {
  AppendQuoted(out, bytes, UnicodeEscape::kNuon);
}

}  // namespace nubpf::runtime
