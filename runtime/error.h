// Errors of the loader as data: what failed, the lines that explain it and
// what to do next, so that `nubpf-run` and the tests render them one way.
#pragma once

#include <cassert>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace nubpf::runtime {

// The exit status of `nubpf-run`, listed in its `--help`.
enum class ExitCode {
  kOk = 0,
  // A bad flag or flag value: the object was not touched.
  kUsage = 1,
  // The object could not be opened, loaded or attached.
  kLoadFailed = 2,
};

struct Error {
  ExitCode exit_code = ExitCode::kLoadFailed;
  // One lowercase sentence naming the file, program or map and the cause.
  std::string message;
  // Lines printed indented under the message, such as a verifier log tail.
  std::vector<std::string> details;
  // The next step for the user, printed as `help: ...` when not empty.
  std::string help;
  // The errno of the call that failed, or 0 when none applies; lets the
  // loader decide on a fallback without reading the message.
  int error_number = 0;
};

// Returns the name that messages start with: the running program's own,
// as glibc keeps it, so that `nubpf-run` reports as `nubpf-run` and a
// program that embeds the runtime under its own name.
std::string_view ProgramName();

// Writes `PROGRAM: error: MESSAGE`, the details indented by two spaces and
// the help line to `out`.
void PrintError(const Error& error, std::FILE* out);

// Returns an error of exit code kUsage: a bad flag or value, reported
// before the object is touched.
Error UsageError(std::string message, std::string help);

// Either a value or the Error that prevented it; a small stand-in for
// C++23 std::expected.
template <typename T>
class ErrorOr {
 public:
  ErrorOr(T value) : state_(std::move(value)) {}
  ErrorOr(Error error) : state_(std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok() && "value() of an ErrorOr that holds an error");
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok() && "value() of an ErrorOr that holds an error");
    return std::get<0>(state_);
  }
  // A temporary gives its value away, so that `for (auto& x : *Read())`
  // iterates a value that lives as long as the loop.
  T value() && {
    assert(ok() && "value() of an ErrorOr that holds an error");
    return std::move(std::get<0>(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const {
    assert(!ok() && "error() of an ErrorOr that holds a value");
    return std::get<1>(state_);
  }
  Error TakeError() {
    assert(!ok() && "TakeError() of an ErrorOr that holds a value");
    return std::move(std::get<1>(state_));
  }

 private:
  std::variant<T, Error> state_;
};

}  // namespace nubpf::runtime
