#include "tests/support/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace nubpf::testing {

std::string NubpfcPath() { return std::string(NUBPF_BINARY_DIR) + "/nubpfc"; }
std::string NubpfRunPath() { return std::string(NUBPF_BINARY_DIR) + "/nubpf-run"; }
std::string SourcePath(const std::string& relative) {
  return std::string(NUBPF_SOURCE_DIR) + "/" + relative;
}

std::vector<std::string> SampleNames() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(SourcePath("samples"))) {
    if (entry.path().extension() == ".nu") names.push_back(entry.path().stem());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TempDir::TempDir() {
  char pattern[] = "/tmp/nubpf-test-XXXXXX";
  if (mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

static pid_t Spawn(const std::vector<std::string>& argv, int* out_fd, int* err_fd) {
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe2 failed");
  }
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, STDIN_FILENO);
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  *out_fd = out_pipe[0];
  *err_fd = err_pipe[0];
  return pid;
}

static int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

RunResult RunToExit(const std::vector<std::string>& argv, std::chrono::seconds timeout) {
  Subprocess process(argv);
  RunResult result;
  result.out = process.ReadRemaining(timeout);
  process.WaitForStderr("\x01never", std::chrono::seconds(5));
  result.err = process.stderr_text();
  result.exit_code = process.Stop(0);
  return result;
}

Subprocess::Subprocess(const std::vector<std::string>& argv) {
  pid_ = Spawn(argv, &stdout_fd_, &stderr_fd_);
}

Subprocess::~Subprocess() {
  if (!exited_) Stop(SIGKILL);
  if (stdout_fd_ >= 0) close(stdout_fd_);
  if (stderr_fd_ >= 0) close(stderr_fd_);
}

// Appends what `fd` has within `timeout` to `buffer`; false at end of file
// or timeout.
bool Subprocess::Fill(int fd, std::string* buffer,
                      std::chrono::milliseconds timeout) {
  pollfd entry{fd, POLLIN, 0};
  if (poll(&entry, 1, static_cast<int>(timeout.count())) <= 0) return false;
  char chunk[4096];
  ssize_t count = read(fd, chunk, sizeof(chunk));
  if (count <= 0) return false;
  buffer->append(chunk, static_cast<size_t>(count));
  return true;
}

std::optional<std::string> Subprocess::ReadLine(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    size_t newline = stdout_buffer_.find('\n');
    if (newline != std::string::npos) {
      std::string line = stdout_buffer_.substr(0, newline);
      stdout_buffer_.erase(0, newline + 1);
      return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !Fill(stdout_fd_, &stdout_buffer_, left)) {
      return std::nullopt;
    }
  }
}

bool Subprocess::WaitForStderr(const std::string& text,
                               std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (stderr_text_.find(text) == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !Fill(stderr_fd_, &stderr_text_, left)) return false;
  }
  return true;
}

std::string Subprocess::ReadRemaining(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !Fill(stdout_fd_, &stdout_buffer_, left)) break;
  }
  std::string rest;
  rest.swap(stdout_buffer_);
  return rest;
}

std::optional<std::string> Subprocess::ReadStdoutChunk(std::chrono::milliseconds timeout) {
  if (!stdout_buffer_.empty()) {
    std::string buffered;
    buffered.swap(stdout_buffer_);
    return buffered;
  }
  pollfd entry{stdout_fd_, POLLIN, 0};
  int ready = poll(&entry, 1, static_cast<int>(timeout.count()));
  if (ready < 0 && errno != EINTR) return std::nullopt;
  if (ready <= 0) return std::string();

  std::string chunk(64 * 1024, '\0');
  ssize_t count = read(stdout_fd_, chunk.data(), chunk.size());
  if (count < 0 && errno == EINTR) return std::string();
  if (count <= 0) return std::nullopt;
  chunk.resize(static_cast<size_t>(count));
  return chunk;
}

int Subprocess::Stop(int signal) {
  if (exited_) return exit_code_;
  if (signal != 0) kill(pid_, signal);

  // Keeps reading stdout until the process closes it, because a process
  // that prints more than the pipe's buffer at exit, as nubpf-run does
  // with large tables, would otherwise block in write and never exit.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !Fill(stdout_fd_, &stdout_buffer_, left)) break;
  }

  int status = 0;
  waitpid(pid_, &status, 0);
  exited_ = true;
  exit_code_ = DecodeStatus(status);
  return exit_code_;
}

std::string Compile(const std::string& source, const std::string& object,
                    const std::vector<std::string>& flags) {
  std::vector<std::string> argv = {NubpfcPath(), source, "-o", object};
  argv.insert(argv.end(), flags.begin(), flags.end());
  RunResult result = RunToExit(argv);
  if (result.exit_code == 0) return "";
  return "nubpfc exited with " + std::to_string(result.exit_code) + ":\n" +
         result.err;
}

bool CanLoadBpf() { return geteuid() == 0; }

bool CallGetppidAs(const char* comm, int times) {
  pid_t child = fork();
  if (child < 0) return false;
  if (child == 0) {
    prctl(PR_SET_NAME, comm);
    for (int i = 0; i < times; ++i) syscall(SYS_getppid);
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace nubpf::testing
