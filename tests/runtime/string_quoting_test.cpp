#include "runtime/string_quoting.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "runtime/output_format.h"

namespace nubpf::runtime {
namespace {

std::string Json(std::string_view bytes) {
  std::string out;
  AppendJsonQuoted(out, bytes);
  return out;
}

std::string Nuon(std::string_view bytes) {
  std::string out;
  AppendNuonQuoted(out, bytes);
  return out;
}

// Quotes one UTF-8 sequence or invalid byte at a time, with no fast path:
// the reference that the fast path must match byte for byte.
std::string ReferenceJsonQuote(std::string_view bytes) {
  std::string out = "\"";
  size_t index = 0;
  while (index < bytes.size()) {
    size_t length = Utf8SequenceLength(bytes, index);
    if (length == 0) {
      out += "\\ufffd";
      ++index;
      continue;
    }
    auto byte = static_cast<unsigned char>(bytes[index]);
    if (byte == '"' || byte == '\\') {
      out += '\\';
      out += static_cast<char>(byte);
    } else if (byte == '\n') {
      out += "\\n";
    } else if (byte == '\t') {
      out += "\\t";
    } else if (byte == '\r') {
      out += "\\r";
    } else if (byte < 0x20) {
      char escape[8];
      std::snprintf(escape, sizeof(escape), "\\u%04x", byte);
      out += escape;
    } else {
      out.append(bytes.substr(index, length));
    }
    index += length;
  }
  return out + "\"";
}

TEST(StringQuotingTest, PlainTextIsCopied) {
  EXPECT_EQ(Json(""), R"("")");
  EXPECT_EQ(Json("bench_getppid"), R"("bench_getppid")");
  EXPECT_EQ(Json("/usr/lib/x86_64-linux-gnu/libc.so.6"),
            R"("/usr/lib/x86_64-linux-gnu/libc.so.6")");
  EXPECT_EQ(Json("\x7F~ "), "\"\x7F~ \"");
}

TEST(StringQuotingTest, EscapeAtStartMiddleAndEnd) {
  EXPECT_EQ(Json("\"abc"), R"("\"abc")");
  EXPECT_EQ(Json("ab\\c"), R"("ab\\c")");
  EXPECT_EQ(Json("abc\n"), R"("abc\n")");
  EXPECT_EQ(Json("\t\r"), R"("\t\r")");
  EXPECT_EQ(Json("a\"\"b"), R"("a\"\"b")");
}

TEST(StringQuotingTest, ControlBytesBecomeUnicodeEscapes) {
  EXPECT_EQ(Json(std::string("\0a", 2)), R"("\u0000a")");
  EXPECT_EQ(Json("a\x01"
                 "b\x1f"),
            R"("a\u0001b\u001f")");
  EXPECT_EQ(Json("\x1b[0m"), R"("\u001b[0m")");
}

TEST(StringQuotingTest, KeepsWellFormedUtf8) {
  EXPECT_EQ(Json("\xC3\xA9t\xC3\xA9"), "\"\xC3\xA9t\xC3\xA9\"");
  EXPECT_EQ(Json("a\xF0\x9F\x98\x80"), "\"a\xF0\x9F\x98\x80\"");
}

TEST(StringQuotingTest, InvalidUtf8AtStartMiddleAndEnd) {
  EXPECT_EQ(Json("\xFF"
                 "abc"),
            R"("\ufffdabc")");
  EXPECT_EQ(Json("ab\x80"
                 "c"),
            R"("ab\ufffdc")");
  // A sequence cut short by the end of the string: each byte is replaced.
  EXPECT_EQ(Json("abc\xE2\x82"), R"("abc\ufffd\ufffd")");
  EXPECT_EQ(Json("\xED\xA0\x80"), R"("\ufffd\ufffd\ufffd")");
}

TEST(StringQuotingTest, AppendsAfterExistingText) {
  std::string out = "{\"comm\": ";
  AppendJsonQuoted(out, "a\"b");
  AppendNuonQuoted(out, "c\x01");
  EXPECT_EQ(out, R"({"comm": "a\"b""c\u{0001}")");
}

TEST(StringQuotingTest, NuonBracesUnicodeEscapes) {
  EXPECT_EQ(Nuon("bash"), R"("bash")");
  EXPECT_EQ(Nuon("a\x01\xFF"), R"("a\u{0001}\u{fffd}")");
  EXPECT_EQ(Nuon("\"\\\n\t\r"), R"("\"\\\n\t\r")");
  EXPECT_EQ(Nuon("\xC3\xA9"), "\"\xC3\xA9\"");
}

TEST(StringQuotingTest, MatchesReferenceForEveryTwoByteString) {
  for (int first = 0; first < 256; ++first) {
    for (int second = 0; second < 256; ++second) {
      std::string bytes = {static_cast<char>(first), 'x', static_cast<char>(second)};
      ASSERT_EQ(Json(bytes), ReferenceJsonQuote(bytes)) << first << " " << second;
      bytes.erase(1, 1);
      ASSERT_EQ(Json(bytes), ReferenceJsonQuote(bytes)) << first << " " << second;
    }
  }
}

TEST(StringQuotingTest, MatchesReferenceForMixedText) {
  const std::string cases[] = {
      "caf\xC3\xA9 \xE2\x82\xAC \"quoted\" \\path\\ \x01\x7F\xF0\x9F\x98\x80\xF4\x90\x80\x80",
      "\xE0\xA0\x80\xE0\x80\xAF\xEF\xBF\xBF\xF0\x90\x80\x80\xF0\x8F\xBF\xBF",
      std::string(100, 'a') + "\n" + std::string(100, 'b'),
  };
  for (const std::string& bytes : cases) {
    EXPECT_EQ(Json(bytes), ReferenceJsonQuote(bytes));
  }
}

}  // namespace
}  // namespace nubpf::runtime
