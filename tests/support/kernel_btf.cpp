#include "tests/support/kernel_btf.h"

#include <filesystem>
#include <sstream>

#include "tests/support/subprocess.h"

namespace nubpf::testing {
namespace {

// The script's exit status when apt-get update cannot reach the archive
// (EX_TEMPFAIL in sysexits.h).
constexpr int kArchiveUnreachable = 75;

KernelBtfs RunFetchScript() {
  KernelBtfs btfs;
  // A first run took 14 s on a 2-core machine with a fast mirror; the limit
  // leaves room for a slow network.
  RunResult result = RunToExit({SourcePath("tools/fetch-kernel-btf.sh")}, std::chrono::minutes(20));
  if (result.exit_code == kArchiveUnreachable) {
    btfs.skip_reason = "tools/fetch-kernel-btf.sh cannot reach the Debian archive:\n" + result.err;
    return btfs;
  }
  if (result.exit_code != 0) {
    btfs.error = "tools/fetch-kernel-btf.sh exited with " + std::to_string(result.exit_code) +
                 ":\n" + result.err;
    return btfs;
  }

  std::istringstream paths(result.out);
  for (std::string path; std::getline(paths, path);) {
    btfs.path_by_name[std::filesystem::path(path).stem()] = path;
  }
  return btfs;
}

}  // namespace

const KernelBtfs& FetchKernelBtfs() {
  static const KernelBtfs btfs = RunFetchScript();
  return btfs;
}

}  // namespace nubpf::testing
