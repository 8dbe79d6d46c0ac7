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
struct btf_type;

namespace nubpf::compiler {

// The path of the running kernel's BTF.
inline constexpr const char* kRunningKernelBtf = "/sys/kernel/btf/vmlinux";

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

  // Names of every kernel function, or of every BTF tracepoint, sorted:
  // for wildcards and for "did you mean" suggestions. Each list is built on
  // first use and kept, because a kernel has tens of thousands of functions.
  const std::vector<std::string>& FunctionNames() const;
  const std::vector<std::string>& TracepointNames() const;

  // Types and members, for CO-RE reads (kernel_btf_types.cpp).

  // The type with id `id`, which must exist.
  const struct btf_type* Type(uint32_t id) const;
  // The id of the struct or union named `name`, or nullopt.
  std::optional<uint32_t> FindStruct(const std::string& name) const;
  // Names of every named struct and union, sorted, for suggestions; built
  // on first use and kept.
  const std::vector<std::string>& StructNames() const;
  // Returns `id` with typedefs, `const`, `volatile`, `restrict` and type
  // tags looked through: the type a value of type `id` has in memory.
  uint32_t Resolve(uint32_t id) const;
  // Returns the C spelling of `id` after Resolve: `struct task_struct`,
  // `unsigned int`, `char *`, `void`, or `struct (anonymous)`.
  std::string TypeName(uint32_t id) const;

  // One step to a member: member `index` of the struct or union `parent`.
  struct MemberStep {
    uint32_t parent = 0;
    uint32_t index = 0;
  };
  // The steps to member `name` of the struct or union `id`: one step, or
  // more when the member is inside anonymous struct or union members,
  // which C lets code name through. Empty when there is no such member.
  std::vector<MemberStep> FindMember(uint32_t id, const std::string& name) const;
  // The names FindMember finds in `id`, in declaration order.
  std::vector<std::string> MemberNames(uint32_t id) const;

  // The value of enumerator `name` of the enum `id`, or nullopt.
  std::optional<int64_t> FindEnumerator(uint32_t id, const std::string& name) const;
  // The enumerators of the enum `id`, in declaration order.
  std::vector<std::string> EnumeratorNames(uint32_t id) const;

 private:
  KernelBtf(std::string path, struct btf* btf) : path_(std::move(path)), btf_(btf) {}

  std::string path_;
  struct btf* btf_;
  mutable std::optional<std::vector<std::string>> function_names_;
  mutable std::optional<std::vector<std::string>> tracepoint_names_;
  mutable std::optional<std::vector<std::string>> struct_names_;
};

}  // namespace nubpf::compiler
