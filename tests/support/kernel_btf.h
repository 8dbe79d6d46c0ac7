// Other kernels' BTF for the CO-RE portability tests, from
// tools/fetch-kernel-btf.sh.
#pragma once

#include <map>
#include <string>

namespace nubpf::testing {

struct KernelBtfs {
  // BTF file by kernel name, such as "debian12-6.1-rt-amd64".
  std::map<std::string, std::string> path_by_name;
  // Set when the script could not reach the Debian archive (exit status 75):
  // the tests skip with this reason.
  std::string skip_reason;
  // Set when the script failed in any other way: the tests fail with it.
  std::string error;
};

// Runs tools/fetch-kernel-btf.sh on the first call and returns what it
// provides; later calls in the same process return the same result. The
// first run in a fresh cache downloads about 170 MB of Debian packages.
const KernelBtfs& FetchKernelBtfs();

}  // namespace nubpf::testing
