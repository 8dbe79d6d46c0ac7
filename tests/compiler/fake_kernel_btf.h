// A small kernel BTF, written with libbpf, that the kernel-type tests and
// the golden files compile against, so that their MIR and messages do not
// change with the kernel the tests run on. Its types follow Linux's
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

}  // namespace nubpf::testing
