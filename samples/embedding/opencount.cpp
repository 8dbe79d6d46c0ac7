// opencount: runs a command and prints the files it opened, each with the
// number of openat(2) calls, from the probe opencount.nu, which this
// program embeds through its skeleton header.
//
//   opencount cat /etc/hostname
//
// It starts the command held before exec, so that the probe gets its pid
// before loading and records every open. Then it lets the command run and
// prints the counts once it exits. Loading BPF programs needs root (or
// CAP_BPF and CAP_PERFMON).

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "opencount.skel.h"

namespace {

// Forks a child that waits until `release` is written to, then runs
// argv[0]. Returns its pid, or -1.
pid_t StartHeld(char** argv, int* release) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(pipe_fds[1]);
    char go = 0;
    if (read(pipe_fds[0], &go, 1) != 1) _exit(127);
    execvp(argv[0], argv);
    std::perror(argv[0]);
    _exit(127);
  }
  close(pipe_fds[0]);
  *release = pipe_fds[1];
  return pid;
}

int Fail(const nubpf::runtime::Error& error, pid_t child) {
  nubpf::runtime::PrintError(error, stderr);
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: opencount COMMAND [ARGS...]\n");
    return 1;
  }

  int release = -1;
  pid_t child = StartHeld(argv + 1, &release);
  if (child < 0) {
    std::perror("opencount: fork");
    return 2;
  }

  auto probe = opencount_probe::Probe::Open();
  if (!probe) return Fail(probe.error(), child);
  // Sets `--target-pid`, and would scope uprobes to the command too.
  if (auto error = (*probe)->session().SetTargetProcess(child)) return Fail(*error, child);
  if (auto error = (*probe)->Attach()) return Fail(*error, child);

  // Lets the command run, and waits for it.
  if (write(release, "x", 1) != 1) std::perror("opencount: write");
  close(release);
  waitpid(child, nullptr, 0);
  if (auto error = (*probe)->Stop()) return Fail(*error, child);

  auto counts = (*probe)->read_count_by_filename();
  if (!counts) {
    nubpf::runtime::PrintError(counts.error(), stderr);
    return 2;
  }
  std::sort(counts->begin(), counts->end(), [](const auto& a, const auto& b) {
    return a.value.count != b.value.count ? a.value.count > b.value.count
                                          : a.key.filename < b.key.filename;
  });
  std::printf("%6s  %s\n", "OPENS", "FILE");
  for (const auto& entry : *counts) {
    std::printf("%6llu  %s\n", static_cast<unsigned long long>(entry.value.count),
                entry.key.filename.c_str());
  }
  return 0;
}
