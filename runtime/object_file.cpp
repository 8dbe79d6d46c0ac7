#include "runtime/object_file.h"

#include <bpf/libbpf.h>
#include <fcntl.h>
#include <fmt/core.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string_view>

#include "runtime/elf_bounds.h"

namespace nubpf::runtime {
namespace {

constexpr const char* kBuildHelp =
    "pass an object written by `nubpfc FILE.nu -o FILE.bpf.o`";

// Ends the libelf session on every return path.
class ElfHandle {
 public:
  explicit ElfHandle(Elf* elf) : elf_(elf) {}
  ~ElfHandle() {
    if (elf_ != nullptr) {
      elf_end(elf_);
    }
  }
  ElfHandle(const ElfHandle&) = delete;
  ElfHandle& operator=(const ElfHandle&) = delete;

  Elf* elf() const { return elf_; }

 private:
  Elf* elf_;
};

// Closes a file descriptor on every return path.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() { close(fd_); }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int get() const { return fd_; }

 private:
  int fd_;
};

Error FileError(const std::string& path, std::string message,
                std::string help) {
  Error error;
  error.message = fmt::format("cannot open `{}`: {}", path, message);
  error.help = std::move(help);
  return error;
}

// Names the common machines, so that the error for /bin/true reads
// "x86-64" and not a number alone.
std::string MachineName(GElf_Half machine) {
  switch (machine) {
    case EM_X86_64:
      return "x86-64";
    case EM_386:
      return "i386";
    case EM_AARCH64:
      return "AArch64";
    case EM_ARM:
      return "ARM";
    case EM_RISCV:
      return "RISC-V";
    case EM_PPC64:
      return "PowerPC 64";
    case EM_S390:
      return "S/390";
    default:
      return fmt::format("e_machine {}", machine);
  }
}

// Opens `path` for reading, turning errno into a message for the user.
ErrorOr<int> OpenReadable(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int saved_errno = errno;
    if (saved_errno == ENOENT) {
      return FileError(path, "no such file",
                       "check the path; " + std::string(kBuildHelp));
    }
    return FileError(path, std::strerror(saved_errno),
                     "check that the file exists and is readable");
  }

  struct stat status;
  if (fstat(fd, &status) == 0 && !S_ISREG(status.st_mode)) {
    close(fd);
    bool directory = S_ISDIR(status.st_mode);
    return FileError(path, directory ? "a directory, not a file" : "not a regular file",
                     kBuildHelp);
  }
  return fd;
}

std::optional<Error> CheckElfHeader(const std::string& path, Elf* elf) {
  if (elf == nullptr || elf_kind(elf) != ELF_K_ELF) {
    return FileError(path, "not an ELF file, so not a BPF object", kBuildHelp);
  }

  GElf_Ehdr header;
  if (gelf_getehdr(elf, &header) == nullptr) {
    return FileError(path,
                     fmt::format("invalid ELF header: {}", elf_errmsg(-1)),
                     kBuildHelp);
  }
  if (header.e_machine != EM_BPF) {
    return FileError(
        path,
        fmt::format("an ELF file for {}, not a BPF object "
                    "(e_machine is {}, BPF is {})",
                    MachineName(header.e_machine), header.e_machine, EM_BPF),
        kBuildHelp);
  }
  if (header.e_ident[EI_CLASS] != ELFCLASS64) {
    return FileError(path, "a 32-bit ELF file; BPF objects are ELF64",
                     kBuildHelp);
  }

  // Records are decoded in host byte order, which nubpf-run assumes is the
  // object's order: nubpfc writes little-endian BPF.
  if (header.e_ident[EI_DATA] != ELFDATA2LSB) {
    return FileError(path,
                     "a big-endian BPF object; nubpf-run runs little-endian "
                     "objects only",
                     "rebuild it for little-endian BPF (`-target bpfel`)");
  }
  return std::nullopt;
}

// Rejects an empty file, and an ELF file cut short, before libelf reads
// it. A file too short for the ELF magic counts as cut when its bytes
// begin the magic.
std::optional<Error> CheckWholeElfFile(const ObjectSource& source) {
  const std::string& bytes = source.bytes;
  if (bytes.empty()) {
    return FileError(source.name, "the file is empty, so not a BPF object", kBuildHelp);
  }
  std::string_view magic(ELFMAG, SELFMAG);
  if (magic.substr(0, std::min(bytes.size(), magic.size())) !=
      std::string_view(bytes).substr(0, magic.size())) {
    return std::nullopt;
  }
  std::optional<std::string> truncation = FindTruncation(bytes);
  if (!truncation) {
    return std::nullopt;
  }
  return FileError(source.name, "the file is truncated: " + *truncation,
                   "the file was cut short, as by an interrupted copy or a full disk; "
                   "copy it again, or rebuild it with `nubpfc FILE.nu -o FILE.bpf.o`");
}

// Returns the bytes of section `name`, nullopt when it is missing.
ErrorOr<std::optional<std::string>> ReadSection(const std::string& path,
                                                Elf* elf,
                                                std::string_view name) {
  size_t names_index = 0;
  if (elf_getshdrstrndx(elf, &names_index) != 0) {
    return FileError(
        path, fmt::format("invalid ELF section table: {}", elf_errmsg(-1)),
        kBuildHelp);
  }

  for (Elf_Scn* section = elf_nextscn(elf, nullptr); section != nullptr;
       section = elf_nextscn(elf, section)) {
    GElf_Shdr section_header;
    if (gelf_getshdr(section, &section_header) == nullptr) {
      continue;
    }
    const char* section_name =
        elf_strptr(elf, names_index, section_header.sh_name);
    if (section_name == nullptr || name != section_name) {
      continue;
    }

    std::string contents;
    if (section_header.sh_type == SHT_NOBITS) {
      return std::optional<std::string>(contents);
    }
    for (Elf_Data* data = elf_getdata(section, nullptr); data != nullptr;
         data = elf_getdata(section, data)) {
      if (data->d_buf != nullptr) {
        contents.append(static_cast<const char*>(data->d_buf), data->d_size);
      }
    }
    return std::optional<std::string>(std::move(contents));
  }
  return std::optional<std::string>();
}

}  // namespace

ErrorOr<ObjectSource> ReadObjectFile(const std::string& path) {
  ErrorOr<int> opened = OpenReadable(path);
  if (!opened) {
    return opened.TakeError();
  }
  FileDescriptor fd(*opened);

  ObjectSource source{path, ""};
  char buffer[64 * 1024];
  while (true) {
    ssize_t count = read(fd.get(), buffer, sizeof(buffer));
    if (count == 0) break;
    if (count < 0) {
      if (errno == EINTR) continue;
      return FileError(path, std::strerror(errno),
                       "check that the file exists and is readable");
    }
    source.bytes.append(buffer, static_cast<size_t>(count));
  }
  return source;
}

ErrorOr<ObjectFileInfo> InspectObject(const ObjectSource& source) {
  const std::string& path = source.name;

  if (auto error = CheckWholeElfFile(source)) {
    return std::move(*error);
  }

  // elf_version() must be called once before any other libelf function.
  // libelf only reads the memory it is given, despite the non-const type.
  elf_version(EV_CURRENT);
  ElfHandle handle(elf_memory(const_cast<char*>(source.bytes.data()), source.bytes.size()));
  if (auto error = CheckElfHeader(path, handle.elf())) {
    return std::move(*error);
  }

  ErrorOr<std::optional<std::string>> section =
      ReadSection(path, handle.elf(), ".nubpf");
  if (!section) {
    return section.TakeError();
  }

  // A C string array in the section carries its terminating NUL.
  ObjectFileInfo info;
  info.nubpf_section = std::move(*section);
  if (info.nubpf_section) {
    std::string& text = *info.nubpf_section;
    while (!text.empty() && text.back() == '\0') {
      text.pop_back();
    }
  }
  return info;
}

ErrorOr<ObjectFileInfo> InspectObjectFile(const std::string& path) {
  ErrorOr<ObjectSource> source = ReadObjectFile(path);
  if (!source) return source.TakeError();
  return InspectObject(*source);
}

bpf_object* OpenBpfObject(const ObjectSource& source, const std::string& btf_custom_path) {
  std::string name = source.name.substr(source.name.rfind('/') + 1);
  name = name.substr(0, name.find('.'));
  if (name.empty()) name = "nubpf";
  bpf_object_open_opts options{};
  options.sz = sizeof(options);
  options.object_name = name.c_str();
  if (!btf_custom_path.empty()) options.btf_custom_path = btf_custom_path.c_str();
  return bpf_object__open_mem(source.bytes.data(), source.bytes.size(), &options);
}

}  // namespace nubpf::runtime
