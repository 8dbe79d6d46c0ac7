// Source paths as the object names them, after `--file-prefix-map`: a
// build in /home/ci/src with `--file-prefix-map /home/ci/src=.` writes
// `./probe.nu` where another folder's build writes the same.

#include "backend/backend.h"

namespace nubpf::backend {

std::string ObjectPath(const std::string& path, const BackendOptions& options) {
  for (const auto& [old_prefix, new_prefix] : options.file_prefix_map) {
    if (path.compare(0, old_prefix.size(), old_prefix) != 0) continue;
    // `/src` is a prefix of `/src/a.nu`, not of `/srcdir/a.nu`.
    bool at_boundary = path.size() == old_prefix.size() || path[old_prefix.size()] == '/' ||
                       (!old_prefix.empty() && old_prefix.back() == '/');
    if (!at_boundary) continue;
    return new_prefix + path.substr(old_prefix.size());
  }
  return path;
}

}  // namespace nubpf::backend
