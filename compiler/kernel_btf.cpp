#include "compiler/kernel_btf.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace nubpf::compiler {

static constexpr const char* kTracepointTypedefPrefix = "btf_trace_";

std::unique_ptr<KernelBtf> KernelBtf::Load(const std::string& path,
                                           std::string* error) {
  std::string source = path.empty() ? kRunningKernelBtf : path;
  struct btf* parsed = btf__parse(source.c_str(), nullptr);
  if (parsed == nullptr) {
    // libbpf's own codes, such as "invalid ELF", are above the errno range,
    // and libbpf_strerror() names both kinds.
    int code = errno;
    char reason[128];
    libbpf_strerror(code, reason, sizeof(reason));
    *error = "cannot read kernel BTF from `" + source + "`: " + reason;
    return nullptr;
  }
  return std::unique_ptr<KernelBtf>(new KernelBtf(source, parsed));
}

KernelBtf::~KernelBtf() { btf__free(btf_); }

// Collects the parameters of the BTF_KIND_FUNC_PROTO `proto_id`.
static BtfPrototype ReadPrototype(const struct btf* btf, uint32_t proto_id) {
  BtfPrototype prototype;
  const struct btf_type* proto = btf__type_by_id(btf, proto_id);
  prototype.return_type_id = proto->type;
  const struct btf_param* params = btf_params(proto);
  for (uint16_t i = 0; i < btf_vlen(proto); ++i) {
    // A variadic prototype ends in a parameter of type 0 with no name.
    if (params[i].type == 0 && params[i].name_off == 0) break;
    prototype.parameters.push_back(
        {btf__name_by_offset(btf, params[i].name_off), params[i].type});
  }
  return prototype;
}

std::optional<BtfPrototype> KernelBtf::FindFunction(const std::string& name) const {
  int id = btf__find_by_name_kind(btf_, name.c_str(), BTF_KIND_FUNC);
  if (id <= 0) return std::nullopt;
  return ReadPrototype(btf_, btf__type_by_id(btf_, id)->type);
}

std::optional<BtfPrototype> KernelBtf::FindTracepoint(const std::string& name) const {
  std::string typedef_name = kTracepointTypedefPrefix + name;
  int id = btf__find_by_name_kind(btf_, typedef_name.c_str(), BTF_KIND_TYPEDEF);
  if (id <= 0) return std::nullopt;

  // btf_trace_NAME is a typedef of a pointer to the prototype.
  const struct btf_type* pointer = btf__type_by_id(btf_, btf__type_by_id(btf_, id)->type);
  if (pointer == nullptr || !btf_is_ptr(pointer)) return std::nullopt;
  const struct btf_type* proto = btf__type_by_id(btf_, pointer->type);
  if (proto == nullptr || !btf_is_func_proto(proto)) return std::nullopt;

  BtfPrototype prototype = ReadPrototype(btf_, pointer->type);
  if (!prototype.parameters.empty()) {
    prototype.parameters.erase(prototype.parameters.begin());
  }

  // The typedef's parameters have no names. The functions the kernel
  // generates for each tracepoint take the same parameters with names:
  // `__probestub_NAME` on recent kernels, and `__traceiter_NAME` (from 5.10).
  for (const char* prefix : {"__probestub_", "__traceiter_"}) {
    std::optional<BtfPrototype> named = FindFunction(prefix + name);
    if (!named || named->parameters.size() != prototype.parameters.size() + 1) continue;
    for (size_t i = 0; i < prototype.parameters.size(); ++i) {
      prototype.parameters[i].name = named->parameters[i + 1].name;
    }
    break;
  }
  return prototype;
}

const std::vector<std::string>& KernelBtf::FunctionNames() const {
  if (function_names_) return *function_names_;
  std::vector<std::string>& names = function_names_.emplace();
  for (uint32_t id = 1; id < btf__type_cnt(btf_); ++id) {
    const struct btf_type* type = btf__type_by_id(btf_, id);
    if (btf_is_func(type)) names.push_back(btf__name_by_offset(btf_, type->name_off));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

const std::vector<std::string>& KernelBtf::TracepointNames() const {
  if (tracepoint_names_) return *tracepoint_names_;
  std::vector<std::string>& names = tracepoint_names_.emplace();
  size_t prefix_length = std::strlen(kTracepointTypedefPrefix);
  for (uint32_t id = 1; id < btf__type_cnt(btf_); ++id) {
    const struct btf_type* type = btf__type_by_id(btf_, id);
    if (!btf_is_typedef(type)) continue;
    std::string name = btf__name_by_offset(btf_, type->name_off);
    if (name.compare(0, prefix_length, kTracepointTypedefPrefix) == 0) {
      names.push_back(name.substr(prefix_length));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace nubpf::compiler
