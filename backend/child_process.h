// Runs a step of the backend in a child process, so that what LLVM keeps
// in process-wide state during the step goes away with the child.
#pragma once

#include <functional>
#include <string>

namespace nubpf::backend {

// A step that fills `output`, or sets `error` and returns false.
using BackendStep = std::function<bool(std::string* output, std::string* error)>;

// Runs `step` in a child process made with fork() and returns its result,
// with the `output` and `error` it set. When the child dies first (LLVM
// calls exit() on a fatal error, or a crash), returns false with an
// `internal error:` that gives its exit status or signal.
bool RunInChildProcess(const BackendStep& step, std::string* output, std::string* error);

}  // namespace nubpf::backend
