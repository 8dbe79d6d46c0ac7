// Runs nubpfc and nubpf-run as a user would, with pipes on their output, for
// the end-to-end and command-line tests.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace nubpf::testing {

// Paths of the built tools and the source tree.
std::string NubpfcPath();
std::string NubpfRunPath();
std::string SourcePath(const std::string& relative);
// Names of the probe files in samples/, without `.nu`, sorted.
std::vector<std::string> SampleNames();

// A temporary folder removed with its contents when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `argv` to completion and returns its exit code and output. Output
// written after `timeout` is lost, but the call still waits for the exit.
RunResult RunToExit(const std::vector<std::string>& argv,
                    std::chrono::seconds timeout = std::chrono::seconds(60));

// A child process whose stdout and stderr are read line by line.
class Subprocess {
 public:
  explicit Subprocess(const std::vector<std::string>& argv);
  ~Subprocess();

  // Returns the next stdout line, or nullopt at end of output or timeout.
  std::optional<std::string> ReadLine(std::chrono::milliseconds timeout);
  // Reads stderr until a line contains `text`; returns false on timeout or
  // exit, leaving what was read in `stderr_text()`.
  bool WaitForStderr(const std::string& text, std::chrono::milliseconds timeout);
  // Sends `signal` and waits for the exit, keeping what the process writes
  // to stdout meanwhile for ReadLine() and ReadRemaining(). Returns the
  // exit code, or 128 + signal number when a signal ended it.
  int Stop(int signal);
  // Reads the rest of stdout until the process closes it.
  std::string ReadRemaining(std::chrono::milliseconds timeout);
  // Returns the stdout bytes that arrive within `timeout`, at most 64 KiB
  // at a time, so that a test can consume a long stream without keeping
  // it: an empty string when none arrive, nullopt at end of output.
  std::optional<std::string> ReadStdoutChunk(std::chrono::milliseconds timeout);

  const std::string& stderr_text() const { return stderr_text_; }
  pid_t pid() const { return pid_; }

 private:
  bool Fill(int fd, std::string* buffer, std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::string stdout_buffer_;
  std::string stderr_text_;
  bool exited_ = false;
  int exit_code_ = -1;
};

// Compiles `source` with nubpfc into `object`, passing `flags` too;
// returns nubpfc's stderr on failure and an empty string on success.
std::string Compile(const std::string& source, const std::string& object,
                    const std::vector<std::string>& flags = {});

// True when this process may load BPF programs; tests that need the kernel
// skip with this reason otherwise.
bool CanLoadBpf();

// Forks a child that renames itself to `comm`, so that a probe can pick out
// its events, calls getppid(2) `times` times and exits. Returns false when
// the fork fails or the child does not exit normally.
bool CallGetppidAs(const char* comm, int times = 1);

}  // namespace nubpf::testing
