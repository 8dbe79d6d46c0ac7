// The capabilities that loading and attaching BPF programs need, read from
// the process with capget(2), so that the error for an EPERM from bpf(2)
// names the missing ones.
#pragma once

#include <string>
#include <vector>

namespace nubpf::runtime {

// Returns the names of the capabilities that the process lacks in its
// effective set to load and attach tracing programs. The list is empty
// when it has CAP_SYS_ADMIN, which covers both on every kernel. Otherwise
// it names those of CAP_BPF and CAP_PERFMON (Linux 5.8 and later) that are
// missing, then CAP_SYS_ADMIN, which kernels before 5.8 need instead.
// Returns an empty list when capget(2) fails, because then nothing is known.
std::vector<std::string> MissingBpfCapabilities();

// Joins capability names for a message: `CAP_BPF`, `CAP_BPF and
// CAP_PERFMON`, `CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN`.
std::string JoinCapabilityNames(const std::vector<std::string>& names);

}  // namespace nubpf::runtime
