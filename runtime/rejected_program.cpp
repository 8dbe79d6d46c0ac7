#include "runtime/rejected_program.h"

#include <bpf/libbpf.h>

#include <cerrno>

#include "runtime/libbpf_log.h"

namespace nubpf::runtime {
namespace {

// Opens `source` and loads it with only program `function` autoloaded, or
// with no program at all when `function` is empty. Returns 0 or the
// negative errno.
int LoadAlone(const ObjectSource& source, const std::string& function) {
  bpf_object* object = OpenBpfObject(source);
  if (object == nullptr) {
    return -errno;
  }
  bpf_program* program;
  bpf_object__for_each_program(program, object) {
    bpf_program__set_autoload(program, function == bpf_program__name(program));
  }
  int result = bpf_object__load(object);
  bpf_object__close(object);
  return result;
}

}  // namespace

std::optional<RejectedProgram> FindRejectedProgram(
    const ObjectSource& source, const std::vector<std::string>& functions) {
  std::vector<std::string> saved_warnings = RecentLibbpfWarnings();

  if (LoadAlone(source, /*function=*/"") < 0) {
    RestoreLibbpfWarnings(saved_warnings);
    return std::nullopt;
  }
  for (const std::string& function : functions) {
    ClearLibbpfWarnings();
    int result = LoadAlone(source, function);
    if (result < 0) {
      return RejectedProgram{function, -result};
    }
  }

  RestoreLibbpfWarnings(saved_warnings);
  return std::nullopt;
}

}  // namespace nubpf::runtime
