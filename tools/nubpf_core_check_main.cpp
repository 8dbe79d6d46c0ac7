// nubpf-core-check: lists every CO-RE relocation of a BPF object and whether
// it resolves against each given kernel BTF.
//
//   nubpf-core-check probe.bpf.o ~/.cache/nubpf/btf/*.btf /sys/kernel/btf/vmlinux
//
// Exits 0 when every relocation resolves against every BTF, 1 when one does
// not, and 2 when a check cannot run. Needs root (libbpf 1.1 resolves CO-RE
// relocations only while loading).

#include <iostream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "tests/support/core_check.h"

namespace {

constexpr int kAllResolved = 0;
constexpr int kSomeUnresolved = 1;
constexpr int kCheckFailed = 2;

// Prints the check of `object` against `btf`; returns the exit status it
// calls for.
int Report(const std::string& object, const std::string& btf, bool print_log) {
  nubpf::testing::CoreCheck check = nubpf::testing::CheckCoreRelocations(object, btf);
  if (print_log) std::cerr << check.log;
  if (!check.error.empty()) {
    std::cerr << "nubpf-core-check: " << check.error << "\n";
    return kCheckFailed;
  }

  size_t resolved = 0;
  for (const auto& relocation : check.relocations) resolved += Resolved(relocation) ? 1 : 0;
  std::cout << btf << ": " << resolved << " of " << check.relocations.size()
            << " CO-RE relocations resolved\n";
  for (const auto& relocation : check.relocations) {
    std::cout << "  " << FormatCoreRelocation(relocation) << "\n";
  }
  if (!check.load_error.empty()) {
    std::cout << "  (after relocating, this kernel did not load the object: " << check.load_error
              << "; --log shows why)\n";
  }
  return resolved == check.relocations.size() ? kAllResolved : kSomeUnresolved;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Check that every CO-RE relocation of a BPF object resolves against kernel BTF"};
  std::string object;
  std::vector<std::string> btfs;
  bool print_log = false;
  app.add_option("object", object, "BPF object file (.bpf.o)")->required()->check(CLI::ExistingFile);
  app.add_option("btf", btfs,
                 "kernel BTF files: raw BTF such as /sys/kernel/btf/vmlinux, or an ELF file "
                 "with a .BTF section")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_flag("--log", print_log, "print libbpf's log of each check to stderr");
  CLI11_PARSE(app, argc, argv);

  int status = kAllResolved;
  for (const std::string& btf : btfs) {
    int result = Report(object, btf, print_log);
    if (result > status) status = result;
  }
  return status;
}
