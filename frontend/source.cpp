#include "frontend/source.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace nubpf::frontend {

SourceFile::SourceFile(std::string path, std::string text)
    : path_(std::move(path)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (uint32_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

bool SourceFile::Load(const std::string& path, SourceFile* out,
                      std::string* error) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    *error = "cannot read `" + path + "`: it is a directory; pass a probe file";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open `" + path + "`: " + std::strerror(errno);
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *out = SourceFile(path, buffer.str());
  return true;
}

const SourceFile* SourceFile::LoadModule(const std::string& path,
                                         std::string* error) {
  auto module = std::make_unique<SourceFile>("", "");
  if (!Load(path, module.get(), error)) return nullptr;

  // One byte of gap after the previous file keeps a span at its end (the
  // end-of-file token) apart from the module's first byte.
  const SourceFile& last = modules_.empty() ? *this : *modules_.back();
  module->base_ = last.base_ + static_cast<uint32_t>(last.text_.size()) + 1;
  modules_.push_back(std::move(module));
  return modules_.back().get();
}

const SourceFile& SourceFile::FileAt(uint32_t offset) const {
  for (auto module = modules_.rbegin(); module != modules_.rend(); ++module) {
    if (offset >= (*module)->base_) return **module;
  }
  return *this;
}

LineColumn SourceFile::Locate(uint32_t offset) const {
  const SourceFile& file = FileAt(offset);
  if (&file != this) return file.Locate(offset);
  offset = std::min<uint32_t>(offset - base_, text_.size());
  auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  uint32_t line = static_cast<uint32_t>(next - line_starts_.begin());
  return {line, offset - line_starts_[line - 1] + 1};
}

std::string_view SourceFile::LineText(uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  uint32_t begin = line_starts_[line - 1];
  uint32_t end = line < line_starts_.size() ? line_starts_[line] : text_.size();
  while (end > begin && (text_[end - 1] == '\n' || text_[end - 1] == '\r')) {
    --end;
  }
  return std::string_view(text_).substr(begin, end - begin);
}

std::string_view SourceFile::Slice(Span span) const {
  const SourceFile& file = FileAt(span.begin);
  if (&file != this) return file.Slice(span);
  uint32_t end = std::min<uint32_t>(span.end - std::min(span.end, base_), text_.size());
  uint32_t begin = std::min(span.begin - base_, end);
  return std::string_view(text_).substr(begin, end - begin);
}

}  // namespace nubpf::frontend
