#include "compiler/elf_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace nubpf::compiler {

// Headers are copied byte for byte into <elf.h> structs, which is right
// only when this machine stores integers as the files do.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "ElfFile reads little-endian ELF headers into native structs");

static std::string Quoted(const std::string& path) { return "`" + path + "`"; }

// Reads exactly `size` bytes at `offset`, retrying short reads.
static bool ReadAt(int fd, uint64_t offset, uint64_t size, void* out) {
  char* cursor = static_cast<char*>(out);
  while (size > 0) {
    ssize_t count = pread(fd, cursor, size, static_cast<off_t>(offset));
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) return false;
    cursor += count;
    offset += static_cast<uint64_t>(count);
    size -= static_cast<uint64_t>(count);
  }
  return true;
}

// True when `count` entries of `entry_size` bytes starting at `offset` lie
// within a file of `file_size` bytes. Dividing instead of multiplying keeps
// a corrupt 64-bit count from overflowing.
static bool FitsInFile(uint64_t offset, uint64_t count, uint64_t entry_size,
                       uint64_t file_size) {
  if (offset > file_size) return false;
  return entry_size == 0 || count <= (file_size - offset) / entry_size;
}

// Checks the 16 identification bytes: the magic number, then the class and
// byte order this reader supports.
static bool CheckIdentification(const unsigned char* ident, const std::string& path,
                                std::string* error) {
  if (std::memcmp(ident, ELFMAG, SELFMAG) != 0) {
    *error = Quoted(path) + " is not an ELF file";
    return false;
  }
  const std::string supported =
      "; only 64-bit little-endian ELF files are supported";
  if (ident[EI_CLASS] == ELFCLASS32) {
    *error = Quoted(path) + " is a 32-bit ELF file" + supported;
    return false;
  }
  if (ident[EI_CLASS] != ELFCLASS64) {
    *error = Quoted(path) + " is not a valid ELF file: its class byte is " +
             std::to_string(ident[EI_CLASS]);
    return false;
  }
  if (ident[EI_DATA] == ELFDATA2MSB) {
    *error = Quoted(path) + " is a big-endian ELF file" + supported;
    return false;
  }
  if (ident[EI_DATA] != ELFDATA2LSB) {
    *error = Quoted(path) + " is not a valid ELF file: its byte order byte is " +
             std::to_string(ident[EI_DATA]);
    return false;
  }
  return true;
}

// Uprobes patch code that the kernel maps from a file, so only files that
// a process maps are useful: executables (PIE ones are ET_DYN) and shared
// libraries.
static bool CheckFileType(uint16_t type, const std::string& path, std::string* error) {
  if (type == ET_EXEC || type == ET_DYN) return true;
  std::string kind = type == ET_REL    ? "a relocatable object file (ET_REL)"
                     : type == ET_CORE ? "a core dump (ET_CORE)"
                                       : "an ELF file of type " + std::to_string(type);
  *error = Quoted(path) + " is " + kind +
           ", not an executable or a shared library; probes attach to programs "
           "and libraries that processes load";
  return false;
}

std::unique_ptr<ElfFile> ElfFile::Open(const std::string& path, std::string* error) {
  std::unique_ptr<ElfFile> file(new ElfFile());
  file->path_ = path;

  file->fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file->fd_ < 0) {
    int open_errno = errno;
    *error = open_errno == ENOENT
                 ? Quoted(path) + " does not exist"
                 : "cannot open " + Quoted(path) + ": " + std::strerror(open_errno);
    return nullptr;
  }

  struct stat status;
  if (fstat(file->fd_, &status) != 0) {
    *error = "cannot read " + Quoted(path) + ": " + std::strerror(errno);
    return nullptr;
  }
  if (!S_ISREG(status.st_mode)) {
    *error = Quoted(path) + " is not a regular file";
    return nullptr;
  }
  file->file_size_ = static_cast<uint64_t>(status.st_size);

  if (!file->ReadHeaders(error)) return nullptr;
  return file;
}

ElfFile::~ElfFile() {
  if (fd_ >= 0) close(fd_);
}

bool ElfFile::ReadBytes(uint64_t offset, uint64_t size, void* out) const {
  return FitsInFile(offset, size, 1, file_size_) && ReadAt(fd_, offset, size, out);
}

// Reads the ELF header, then the tables it points to. Each table is checked
// against the file's size before it is read.
bool ElfFile::ReadHeaders(std::string* error) {
  unsigned char ident[EI_NIDENT];
  if (!ReadBytes(0, EI_NIDENT, ident)) {
    *error = Quoted(path_) + " is not an ELF file";
    return false;
  }
  if (!CheckIdentification(ident, path_, error)) return false;

  Elf64_Ehdr header;
  if (!ReadBytes(0, sizeof(header), &header)) {
    *error = Quoted(path_) + " is truncated: it ends inside its ELF header";
    return false;
  }
  if (!CheckFileType(header.e_type, path_, error)) return false;
  machine_ = header.e_machine;

  // A file with 0xffff or more sections or segments stores the real
  // counts, and the index of the section name table, in section header 0.
  Elf64_Shdr first_section{};
  if (header.e_shoff != 0 &&
      !ReadBytes(header.e_shoff, sizeof(first_section), &first_section)) {
    *error = Quoted(path_) +
             " is malformed: its section header table ends past the end of the file";
    return false;
  }
  uint64_t segment_count = header.e_phnum;
  if (segment_count == PN_XNUM) segment_count = first_section.sh_info;
  uint64_t section_count = header.e_shnum;
  if (header.e_shoff != 0 && section_count == 0) section_count = first_section.sh_size;
  uint64_t names_index = header.e_shstrndx;
  if (names_index == SHN_XINDEX) names_index = first_section.sh_link;

  return ReadLoadSegments(header, segment_count, error) &&
         ReadSectionHeaders(header, section_count, error) &&
         ReadSectionNames(names_index, error);
}

// Keeps the PT_LOAD entries of the program header table: only they map
// file bytes into a process.
bool ElfFile::ReadLoadSegments(const Elf64_Ehdr& header, uint64_t count,
                               std::string* error) {
  if (count == 0) return true;
  const std::string malformed = Quoted(path_) + " is malformed: ";
  if (header.e_phentsize != sizeof(Elf64_Phdr)) {
    *error = malformed + "its program headers are " +
             std::to_string(header.e_phentsize) + " bytes long, not " +
             std::to_string(sizeof(Elf64_Phdr));
    return false;
  }
  if (!FitsInFile(header.e_phoff, count, sizeof(Elf64_Phdr), file_size_)) {
    *error = malformed + "its program header table ends past the end of the file";
    return false;
  }

  std::vector<Elf64_Phdr> segments(count);
  if (!ReadBytes(header.e_phoff, count * sizeof(Elf64_Phdr), segments.data())) {
    *error = "cannot read the program headers of " + Quoted(path_);
    return false;
  }
  for (const Elf64_Phdr& segment : segments) {
    if (segment.p_type == PT_LOAD) load_segments_.push_back(segment);
  }
  return true;
}

bool ElfFile::ReadSectionHeaders(const Elf64_Ehdr& header, uint64_t count,
                                 std::string* error) {
  if (count == 0) return true;
  const std::string malformed = Quoted(path_) + " is malformed: ";
  if (header.e_shentsize != sizeof(Elf64_Shdr)) {
    *error = malformed + "its section headers are " +
             std::to_string(header.e_shentsize) + " bytes long, not " +
             std::to_string(sizeof(Elf64_Shdr));
    return false;
  }
  if (!FitsInFile(header.e_shoff, count, sizeof(Elf64_Shdr), file_size_)) {
    *error = malformed + "its section header table ends past the end of the file";
    return false;
  }

  std::vector<Elf64_Shdr> headers(count);
  if (!ReadBytes(header.e_shoff, count * sizeof(Elf64_Shdr), headers.data())) {
    *error = "cannot read the section headers of " + Quoted(path_);
    return false;
  }
  for (size_t index = 0; index < headers.size(); ++index) {
    const Elf64_Shdr& section = headers[index];
    if (section.sh_type != SHT_NOBITS &&
        !FitsInFile(section.sh_offset, section.sh_size, 1, file_size_)) {
      *error = malformed + "section " + std::to_string(index) +
               " ends past the end of the file";
      return false;
    }
    sections_.push_back(ElfSection{"", section});
  }
  return true;
}

// Names the sections from the string table that e_shstrndx selects. A file
// without one (SHN_UNDEF) keeps its sections unnamed.
bool ElfFile::ReadSectionNames(uint64_t names_index, std::string* error) {
  if (names_index == SHN_UNDEF || sections_.empty()) return true;
  const std::string malformed = Quoted(path_) + " is malformed: ";
  if (names_index >= sections_.size()) {
    *error = malformed + "its section name table is section " +
             std::to_string(names_index) + ", but it has only " +
             std::to_string(sections_.size()) + " sections";
    return false;
  }

  std::string names;
  if (!ReadSection(sections_[names_index], &names, error)) return false;
  for (size_t index = 0; index < sections_.size(); ++index) {
    uint32_t name_offset = sections_[index].header.sh_name;
    size_t end = name_offset < names.size() ? names.find('\0', name_offset)
                                            : std::string::npos;
    if (end == std::string::npos) {
      *error = malformed + "the name of section " + std::to_string(index) +
               " lies outside its section name table";
      return false;
    }
    sections_[index].name = names.substr(name_offset, end - name_offset);
  }
  return true;
}

const ElfSection* ElfFile::FindSection(std::string_view name) const {
  for (const ElfSection& section : sections_) {
    if (section.name == name) return &section;
  }
  return nullptr;
}

bool ElfFile::ReadSection(const ElfSection& section, std::string* bytes,
                          std::string* error) const {
  bytes->clear();
  if (section.header.sh_type == SHT_NOBITS) return true;
  bytes->resize(section.header.sh_size);
  if (!ReadBytes(section.header.sh_offset, section.header.sh_size, bytes->data())) {
    *error = "cannot read section `" + section.name + "` of " + Quoted(path_);
    return false;
  }
  return true;
}

std::optional<uint64_t> ElfFile::FileOffsetOf(uint64_t address) const {
  for (const Elf64_Phdr& segment : load_segments_) {
    if (address >= segment.p_vaddr && address - segment.p_vaddr < segment.p_filesz) {
      return address - segment.p_vaddr + segment.p_offset;
    }
  }
  return std::nullopt;
}

}  // namespace nubpf::compiler
