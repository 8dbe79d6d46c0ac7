// A probe file in memory, and the byte spans that every later stage uses to
// point back into it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace nubpf::frontend {

// A half-open byte range [begin, end) in one SourceFile. The main file's
// spans start at 0 and each module's spans follow the previous file's, so
// one offset names one byte of one file in the whole compilation.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
};

// A 1-based line and column; the column counts bytes, as compilers do.
struct LineColumn {
  uint32_t line = 1;
  uint32_t column = 1;
};

// A probe file, and the module files it uses (`use helpers.nu *`), which
// the main file owns so that their spans stay valid for every stage.
class SourceFile {
 public:
  SourceFile(std::string path, std::string text);

  // Reads a file; returns false and sets `error` when it cannot be read.
  static bool Load(const std::string& path, SourceFile* out,
                   std::string* error);

  // Reads `path` into a module file whose offsets follow the last file
  // added. Returns null and sets `error` when it cannot be read.
  const SourceFile* LoadModule(const std::string& path, std::string* error);

  // The path as the command line or the `use` gave it, joined to the
  // folder it was found in, never made absolute.
  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  // The offset of this file's first byte; 0 for the main file.
  uint32_t base() const { return base_; }

  // The file that contains `offset`: this one or one of its modules.
  const SourceFile& FileAt(uint32_t offset) const;

  // The line and column of `offset` in the file that contains it.
  LineColumn Locate(uint32_t offset) const;

  // Returns line `line` (1-based) of this file without its newline.
  std::string_view LineText(uint32_t line) const;

  // The text of `span` in the file that contains it.
  std::string_view Slice(Span span) const;

 private:
  std::string path_;
  std::string text_;
  uint32_t base_ = 0;
  std::vector<uint32_t> line_starts_;
  std::vector<std::unique_ptr<SourceFile>> modules_;
};

}  // namespace nubpf::frontend
