#include "runtime/capabilities.h"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>

namespace nubpf::runtime {
namespace {

// The numbers of linux/capability.h; older C library headers lack the two
// that Linux 5.8 added.
constexpr int kCapSysAdmin = 21;
constexpr int kCapPerfmon = 38;
constexpr int kCapBpf = 39;

// True when capability `number` is in the 64-bit effective set, which
// version 3 of the capget(2) ABI splits into two 32-bit words.
bool HasCapability(const __user_cap_data_struct (&data)[2], int number) {
  uint32_t word = data[number / 32].effective;
  return (word >> (number % 32)) & 1;
}

}  // namespace

std::vector<std::string> MissingBpfCapabilities() {
  __user_cap_header_struct header{};
  header.version = _LINUX_CAPABILITY_VERSION_3;
  header.pid = 0;
  __user_cap_data_struct data[2] = {};
  // glibc has no capget() wrapper without libcap, so this is the raw call.
  if (syscall(SYS_capget, &header, data) != 0) {
    return {};
  }

  if (HasCapability(data, kCapSysAdmin)) {
    return {};
  }
  std::vector<std::string> missing;
  if (!HasCapability(data, kCapBpf)) missing.push_back("CAP_BPF");
  if (!HasCapability(data, kCapPerfmon)) missing.push_back("CAP_PERFMON");
  if (missing.empty()) return missing;
  missing.push_back("CAP_SYS_ADMIN");
  return missing;
}

std::string JoinCapabilityNames(const std::vector<std::string>& names) {
  std::string text;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? " and " : ", ";
    text += names[i];
  }
  return text;
}

}  // namespace nubpf::runtime
