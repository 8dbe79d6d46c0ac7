// A small kernel BTF, written with libbpf, that the kernel-type tests and
// the `kernel_*` golden files compile against, so that their MIR and
// messages do not change with the kernel the tests run on. Its types follow Linux's
// names and shapes, cut down to a few members each.
#pragma once

#include <string>

namespace nubpf::testing {

// Writes the BTF as a raw BTF file in a temporary folder, removed with
// the object.
class FakeKernelBtf {
 public:
  FakeKernelBtf();
  ~FakeKernelBtf();
  const std::string& path() const { return path_; }

 private:
  std::string folder_;
  std::string path_;
};

// The BTF a golden file compiles against: the fake one for files named
// `kernel_*`, whose output shows kernel types, and the running kernel's
// (an empty path) for the others.
std::string KernelBtfFor(const std::string& golden_name, const FakeKernelBtf& fake);

}  // namespace nubpf::testing
