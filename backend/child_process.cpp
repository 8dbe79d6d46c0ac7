#include "backend/child_process.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace nubpf::backend {

// The child sends its result through a pipe as one frame: a byte that is 1
// when the step succeeded, then the output and the error, each as a 64-bit
// length in host byte order followed by that many bytes.

static bool WriteAll(int fd, const void* data, size_t size) {
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t written = write(fd, bytes, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes += written;
    size -= static_cast<size_t>(written);
  }
  return true;
}

static bool WriteString(int fd, const std::string& text) {
  uint64_t size = text.size();
  return WriteAll(fd, &size, sizeof size) && WriteAll(fd, text.data(), text.size());
}

// Reads until end of file. The parent reads while the child writes, so a
// large output cannot fill the pipe and block the child.
static std::string ReadAll(int fd) {
  std::string data;
  char buffer[65536];
  for (;;) {
    ssize_t got = read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return data;
    data.append(buffer, static_cast<size_t>(got));
  }
}

// Takes one length-prefixed string off the front of `frame`.
static bool TakeString(std::string* frame, std::string* text) {
  uint64_t size = 0;
  if (frame->size() < sizeof size) return false;
  std::memcpy(&size, frame->data(), sizeof size);
  if (frame->size() - sizeof size < size) return false;
  text->assign(*frame, sizeof size, size);
  frame->erase(0, sizeof size + size);
  return true;
}

// Describes how the child ended, for a frame that never came.
static std::string DescribeExit(int status) {
  if (WIFSIGNALED(status)) {
    return "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
           strsignal(WTERMSIG(status)) + ")";
  }
  return "exited with status " + std::to_string(WEXITSTATUS(status));
}

bool RunInChildProcess(const BackendStep& step, std::string* output, std::string* error) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) {
    *error = "internal error: cannot create a pipe for code generation: " +
             std::string(std::strerror(errno));
    return false;
  }
  pid_t child = fork();
  if (child < 0) {
    *error = "internal error: cannot start a process for code generation: " +
             std::string(std::strerror(errno));
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    return false;
  }

  // The child runs the step and leaves with _exit(), which skips the exit
  // handlers and the destructors of static objects: they belong to the
  // parent's copy of the process.
  if (child == 0) {
    close(pipe_fds[0]);
    std::string child_output;
    std::string child_error;
    bool ok = step(&child_output, &child_error);
    char ok_byte = ok ? 1 : 0;
    bool sent = WriteAll(pipe_fds[1], &ok_byte, 1) && WriteString(pipe_fds[1], child_output) &&
                WriteString(pipe_fds[1], child_error);
    _exit(sent ? 0 : 1);
  }

  // The parent reads the whole frame, then reaps the child.
  close(pipe_fds[1]);
  std::string frame = ReadAll(pipe_fds[0]);
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }

  bool exited_cleanly = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  bool step_ok = !frame.empty() && frame[0] == 1;
  if (!frame.empty()) frame.erase(0, 1);
  std::string child_output;
  std::string child_error;
  bool complete = TakeString(&frame, &child_output) && TakeString(&frame, &child_error);
  if (!exited_cleanly || !complete) {
    *error = "internal error: the process that generates code with LLVM " +
             DescribeExit(status) + " before it finished";
    return false;
  }
  *output = std::move(child_output);
  *error = std::move(child_error);
  return step_ok;
}

}  // namespace nubpf::backend
