// The kernel's types, read from its BTF: `/sys/kernel/btf/vmlinux` on the
// build host, or the file given with `--btf` to compile for another kernel.
// Probe families whose arguments the kernel describes (tp_btf, fentry,
// fexit, kprobe, raw_tracepoint) take their argument names and types here.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/types.h"

struct btf;

namespace nubpf::compiler {

// One parameter of a kernel function or tracepoint prototype.
struct BtfParameter {
  std::string name;      // empty when BTF does not name it
  uint32_t type_id = 0;  // in the loaded BTF; 0 is `void`
};

struct BtfPrototype {
  std::vector<BtfParameter> parameters;
  uint32_t return_type_id = 0;
};

class KernelBtf {
 public:
  // Parses the BTF at `path`, or the running kernel's when `path` is empty.
  // Returns null with `error` set when the file is missing or malformed.
  static std::unique_ptr<KernelBtf> Load(const std::string& path,
                                         std::string* error);

  ~KernelBtf();
  KernelBtf(const KernelBtf&) = delete;
  KernelBtf& operator=(const KernelBtf&) = delete;

  // Where the types came from, for messages.
  const std::string& path() const { return path_; }

  // libbpf's handle, for lookups this class does not wrap.
  const struct btf* handle() const { return btf_; }

  // The prototype of the kernel function `name` (a BTF_KIND_FUNC), which
  // fentry, fexit and kprobe arguments follow.
  std::optional<BtfPrototype> FindFunction(const std::string& name) const;

  // The arguments a tp_btf or raw_tracepoint program on `name` receives.
  // The kernel describes them as the typedef `btf_trace_NAME`, a pointer to
  // a prototype whose first parameter is the tracepoint's private data.
  // That one is dropped here, because programs do not receive it. Parameter
  // names come from the kernel's per-tracepoint functions when BTF has them.
  std::optional<BtfPrototype> FindTracepoint(const std::string& name) const;

  // The integer that `type_id` is, through typedefs, const, volatile and
  // enums: `pid_t` is i32, `size_t` u64. Pointers are u64 addresses.
  // Returns nullopt for anything else, and for sizes BPF cannot load.
  std::optional<mir::Type> IntegerType(uint32_t type_id) const;

  // Names of every kernel function, or of every BTF tracepoint, sorted:
  // for wildcards and for "did you mean" suggestions.
  std::vector<std::string> FunctionNames() const;
  std::vector<std::string> TracepointNames() const;

 private:
  KernelBtf(std::string path, struct btf* btf) : path_(std::move(path)), btf_(btf) {}

  std::string path_;
  struct btf* btf_;
};

}  // namespace nubpf::compiler
