// A probe file in memory, and the byte spans that every later stage uses to
// point back into it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nubpf::frontend {

// A half-open byte range [begin, end) in one SourceFile.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
};

// A 1-based line and column; the column counts bytes, as compilers do.
struct LineColumn {
  uint32_t line = 1;
  uint32_t column = 1;
};

class SourceFile {
 public:
  SourceFile(std::string path, std::string text);

  // Reads a file; returns false and sets `error` when it cannot be read.
  static bool Load(const std::string& path, SourceFile* out,
                   std::string* error);

  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }

  LineColumn Locate(uint32_t offset) const;

  // Returns line `line` (1-based) without its newline.
  std::string_view LineText(uint32_t line) const;

  std::string_view Slice(Span span) const;

 private:
  std::string path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

}  // namespace nubpf::frontend
