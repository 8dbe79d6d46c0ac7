#include "runtime/probe_targets.h"

#include <bpf/btf.h>
#include <fcntl.h>
#include <fmt/core.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "runtime/section_family.h"

namespace nubpf::runtime {
namespace {

bool PathExists(const std::string& path) {
  return access(path.c_str(), F_OK) == 0;
}

// Splits `CAT/NAME` at its slash.
std::pair<std::string_view, std::string_view> SplitCategory(std::string_view target) {
  size_t slash = target.find('/');
  if (slash == std::string_view::npos) return {{}, target};
  return {target.substr(0, slash), target.substr(slash + 1)};
}

// True when ELF section `section` of `elf` is a symbol table with a
// defined symbol `name`.
bool SectionDefinesSymbol(Elf* elf, Elf_Scn* section, std::string_view name) {
  GElf_Shdr header;
  if (gelf_getshdr(section, &header) == nullptr) return false;
  if (header.sh_type != SHT_SYMTAB && header.sh_type != SHT_DYNSYM) return false;
  Elf_Data* data = elf_getdata(section, nullptr);
  if (data == nullptr || header.sh_entsize == 0) return false;

  size_t count = header.sh_size / header.sh_entsize;
  for (size_t i = 0; i < count; ++i) {
    GElf_Sym symbol;
    if (gelf_getsym(data, static_cast<int>(i), &symbol) == nullptr) continue;
    if (symbol.st_shndx == SHN_UNDEF) continue;
    const char* symbol_name = elf_strptr(elf, header.sh_link, symbol.st_name);
    if (symbol_name != nullptr && name == symbol_name) return true;
  }
  return false;
}

}  // namespace

std::optional<bool> ElfDefinesSymbol(const std::string& path, std::string_view name) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  elf_version(EV_CURRENT);
  Elf* elf = elf_begin(fd, ELF_C_READ, nullptr);
  std::optional<bool> found;
  if (elf != nullptr && elf_kind(elf) == ELF_K_ELF) found = false;
  for (Elf_Scn* section = found ? elf_nextscn(elf, nullptr) : nullptr;
       section != nullptr && !*found; section = elf_nextscn(elf, section)) {
    *found = SectionDefinesSymbol(elf, section, name);
  }
  elf_end(elf);
  close(fd);
  return found;
}

KernelTargets::KernelTargets(Paths paths) : paths_(std::move(paths)) {}

KernelTargets::~KernelTargets() { btf__free(btf_); }

std::optional<MissingTarget> KernelTargets::FindMissing(std::string_view section,
                                                        const AttachInfo& attach) {
  switch (attach.kind) {
    case AttachKind::kUprobe:
    case AttachKind::kUretprobe:
      return FindMissingUprobeTarget(attach);
    case AttachKind::kProfile:
    case AttachKind::kInterval:
    case AttachKind::kBegin:
    case AttachKind::kEnd:
      return std::nullopt;
    case AttachKind::kSection:
      break;
  }

  // A section without a target, such as a bare `raw_tp`, attaches to
  // nothing that can be looked up.
  SectionFamily family = ParseSectionFamily(section);
  std::string_view target = SectionTarget(section);
  if (target.empty()) return std::nullopt;
  switch (family) {
    case SectionFamily::kTracepoint: {
      auto [category, name] = SplitCategory(target);
      return FindMissingTracepoint(category, name);
    }
    case SectionFamily::kTpBtf:
      return FindMissingBtfTracepoint("tp_btf", target);
    case SectionFamily::kRawTracepoint:
      return FindMissingBtfTracepoint("raw tracepoint", target);
    case SectionFamily::kFentry:
    case SectionFamily::kFexit:
      return FindMissingBtfFunction(SectionFamilyName(family), target);
    case SectionFamily::kKprobe:
    case SectionFamily::kKretprobe:
      return FindMissingKprobeFunction(SectionFamilyName(family), target);
    case SectionFamily::kUprobe:
    case SectionFamily::kUretprobe:
    case SectionFamily::kPerfEvent:
    case SectionFamily::kOther:
      return std::nullopt;
  }
  return std::nullopt;
}

std::vector<std::string> KernelTargets::MountedTracefs() const {
  std::vector<std::string> mounted;
  for (const std::string& root : paths_.tracefs) {
    if (PathExists(root + "/events")) mounted.push_back(root);
  }
  return mounted;
}

std::optional<MissingTarget> KernelTargets::FindMissingTracepoint(std::string_view category,
                                                                  std::string_view name) {
  // Without tracefs nothing can be checked, and attaching reports that
  // tracefs is not mounted.
  std::vector<std::string> roots = MountedTracefs();
  if (roots.empty()) return std::nullopt;
  for (const std::string& root : roots) {
    if (PathExists(fmt::format("{}/events/{}/{}", root, category, name))) {
      return std::nullopt;
    }
  }
  return MissingTarget{
      fmt::format("tracepoint {}:{} not found on this kernel", category, name),
      fmt::format("list the tracepoints in {}/events", roots.front())};
}

const struct btf* KernelTargets::VmlinuxBtf() {
  if (!btf_read_) {
    btf_read_ = true;
    // Null when the file is missing or is not BTF.
    btf_ = btf__parse(paths_.vmlinux_btf.c_str(), /*btf_ext=*/nullptr);
  }
  return btf_;
}

bool KernelTargets::KallsymsHas(std::string_view name) {
  if (!kallsyms_) {
    // Every name, whatever its type and address: kallsyms shows the
    // addresses as 0 to a reader without CAP_SYSLOG, but not the names.
    kallsyms_.emplace();
    std::ifstream file(paths_.kallsyms);
    std::string address, type, symbol;
    while (file >> address >> type >> symbol) {
      kallsyms_->insert(symbol);
      // A module's symbols end with `[MODULE]` on the same line.
      file.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
    }
  }
  return kallsyms_->count(name) != 0;
}

std::optional<MissingTarget> KernelTargets::FindMissingBtfFunction(std::string_view family,
                                                                   std::string_view function) {
  // Without kernel BTF the load fails for another reason, which the
  // kernel BTF check reports.
  const struct btf* btf = VmlinuxBtf();
  if (btf == nullptr) return std::nullopt;
  std::string name(function);
  if (btf__find_by_name_kind(btf, name.c_str(), BTF_KIND_FUNC) >= 0) return std::nullopt;
  // A module's function is in that module's BTF, which libbpf searches too.
  if (KallsymsHas(name)) return std::nullopt;
  return MissingTarget{
      fmt::format("{} target `{}` not found on this kernel: neither its BTF ({}) nor "
                  "{} lists it",
                  family, function, paths_.vmlinux_btf, paths_.kallsyms),
      "check the name with `bpftool btf dump file /sys/kernel/btf/vmlinux | grep "
      "\"FUNC '" + name + "'\"`; inlined and static functions that the compiler "
      "removed have no entry"};
}

std::optional<MissingTarget> KernelTargets::FindMissingBtfTracepoint(std::string_view family,
                                                                     std::string_view name) {
  // Tracepoints without a tracefs event, which raw tracepoint probes may
  // attach to, are only in BTF, so without BTF nothing can be checked.
  const struct btf* btf = VmlinuxBtf();
  if (btf == nullptr) return std::nullopt;
  // The kernel declares a typedef `btf_trace_NAME` for each of its
  // tracepoints, which is what libbpf looks up for tp_btf.
  std::string typedef_name = fmt::format("btf_trace_{}", name);
  if (btf__find_by_name_kind(btf, typedef_name.c_str(), BTF_KIND_TYPEDEF) >= 0) {
    return std::nullopt;
  }
  // A module's tracepoint is in tracefs under some category.
  for (const std::string& root : MountedTracefs()) {
    std::error_code error;
    for (const auto& category :
         std::filesystem::directory_iterator(root + "/events", error)) {
      if (PathExists(category.path().string() + "/" + std::string(name))) {
        return std::nullopt;
      }
    }
  }
  return MissingTarget{
      fmt::format("{} `{}` not found on this kernel: its BTF ({}) has no `{}`", family, name,
                  paths_.vmlinux_btf, typedef_name),
      fmt::format("list the tracepoints in /sys/kernel/tracing/events; a {} probe takes "
                  "the name without its category",
                  family)};
}

std::optional<MissingTarget> KernelTargets::FindMissingKprobeFunction(
    std::string_view family, std::string_view function) {
  if (!PathExists(paths_.kallsyms) || KallsymsHas(function)) return std::nullopt;
  return MissingTarget{
      fmt::format("{} target `{}` not found in {}", family, function, paths_.kallsyms),
      fmt::format("check the name with `grep -w {} {}`", function, paths_.kallsyms)};
}

std::optional<MissingTarget> KernelTargets::FindMissingUprobeTarget(const AttachInfo& attach) {
  struct stat file_status;
  if (stat(attach.path.c_str(), &file_status) != 0) {
    if (errno != ENOENT) return std::nullopt;
    return MissingTarget{
        fmt::format("file `{}` not found", attach.path),
        "install the program at that path, or compile the probe with the path it "
        "has on this machine"};
  }
  if (attach.symbol.empty() || ElfDefinesSymbol(attach.path, attach.symbol) != false) {
    return std::nullopt;
  }
  return MissingTarget{
      fmt::format("symbol `{}` not found in `{}`", attach.symbol, attach.path),
      fmt::format("list the functions the file defines with `nm --defined-only {0}` "
                  "or, for a stripped file, `nm -D --defined-only {0}`",
                  attach.path)};
}

}  // namespace nubpf::runtime
