// The files one compilation read, for the dependency file that `nubpfc -MD`
// writes: the probe file, its modules, the kernel BTF, tracepoint formats
// and the ELF files of uprobe and USDT targets. The driver owns one and
// passes it to each stage that opens files; nothing records into a global.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace nubpf::frontend {

class InputFiles {
 public:
  // Adds `path` as the reading code opened it; a path added before is kept
  // once, in its first place.
  void Record(const std::string& path) {
    if (seen_.insert(path).second) paths_.push_back(path);
  }

  // The paths in the order they were first read.
  const std::vector<std::string>& paths() const { return paths_; }

 private:
  std::vector<std::string> paths_;
  std::set<std::string> seen_;
};

// Records `path` into `inputs` unless `inputs` is null, as it is for a
// caller that writes no dependency file.
inline void RecordInput(InputFiles* inputs, const std::string& path) {
  if (inputs != nullptr) inputs->Record(path);
}

}  // namespace nubpf::frontend
