// Writes the object and its dependency file so that a build never finds
// one without the other, or a half-written object after a crash or a full
// disk.
#pragma once

#include <string>
#include <vector>

namespace nubpf::compiler {

struct OutputFile {
  std::string path;
  std::string bytes;
};

// Writes each file to a temporary file in its folder, then renames the
// temporaries over the paths in the order given, so that a reader sees the
// old file or the whole new one. A path that exists and is not a regular
// file, such as /dev/null, is written in place. Returns false with `error`
// naming the path when a write or rename fails, after removing the
// temporaries not yet renamed.
bool WriteOutputFiles(const std::vector<OutputFile>& files, std::string* error);

}  // namespace nubpf::compiler
