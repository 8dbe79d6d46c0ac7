#include "compiler/output_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace nubpf::compiler {
namespace {

bool WriteAll(int fd, const std::string& bytes) {
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t count = write(fd, bytes.data() + written, bytes.size() - written);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return false;
    written += static_cast<size_t>(count);
  }
  return true;
}

// Writes `bytes` to `path` with the mode a new file gets from the umask.
bool WriteFile(const std::string& path, int flags, const std::string& bytes) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC | flags, 0666);
  if (fd < 0) return false;
  bool ok = WriteAll(fd, bytes);
  int saved = errno;
  if (close(fd) != 0 && ok) return false;
  errno = saved;
  return ok;
}

// True when `path` exists and is a device, a pipe or another file that a
// rename would replace instead of writing into.
bool IsSpecialFile(const std::string& path) {
  struct stat status;
  return stat(path.c_str(), &status) == 0 && !S_ISREG(status.st_mode);
}

// Removes the temporaries from index `from` on; a file written in place
// stays.
void RemoveTemporaries(const std::vector<OutputFile>& files,
                       const std::vector<std::string>& temporaries, size_t from) {
  for (size_t i = from; i < temporaries.size(); ++i) {
    if (temporaries[i] != files[i].path) unlink(temporaries[i].c_str());
  }
}

}  // namespace

bool WriteOutputFiles(const std::vector<OutputFile>& files, std::string* error) {
  // The process id keeps two builds of the same object apart; O_EXCL keeps
  // a stale temporary from being written through.
  std::vector<std::string> temporaries;
  for (const OutputFile& file : files) {
    bool in_place = IsSpecialFile(file.path);
    temporaries.push_back(in_place ? file.path
                                   : file.path + ".tmp" + std::to_string(getpid()));
    int flags = in_place ? O_CREAT | O_TRUNC : O_CREAT | O_EXCL;
    if (!WriteFile(temporaries.back(), flags, file.bytes)) {
      *error = "cannot write `" + file.path + "`: " + std::strerror(errno);
      RemoveTemporaries(files, temporaries, 0);
      return false;
    }
  }

  for (size_t i = 0; i < files.size(); ++i) {
    if (temporaries[i] == files[i].path) continue;
    if (rename(temporaries[i].c_str(), files[i].path.c_str()) != 0) {
      *error = "cannot write `" + files[i].path + "`: " + std::strerror(errno);
      RemoveTemporaries(files, temporaries, i);
      return false;
    }
  }
  return true;
}

}  // namespace nubpf::compiler
