#include "compiler/usdt_notes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <tuple>

#include "compiler/elf_file.h"
#include "compiler/glob.h"

namespace nubpf::compiler {

// The note type of a USDT probe; <elf.h> does not name it.
constexpr uint32_t kStapsdtNoteType = 3;
constexpr char kStapsdtOwner[] = "stapsdt";  // with its NUL, 8 bytes

static std::string Quoted(std::string_view text) { return "`" + std::string(text) + "`"; }

static uint64_t AlignUp(uint64_t value, uint64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

// Splits a descriptor's text, `provider\0name\0arguments\0`, into `probe`.
// Returns false when it does not hold three NUL-terminated strings.
static bool ReadDescriptorText(std::string_view text, UsdtProbe* probe) {
  std::string* fields[] = {&probe->provider, &probe->name, &probe->arguments_text};
  for (std::string* field : fields) {
    size_t end = text.find('\0');
    if (end == std::string_view::npos) return false;
    *field = std::string(text.substr(0, end));
    text.remove_prefix(end + 1);
  }
  return true;
}

// Reads one note's descriptor into `probe` and places its pc and semaphore
// in the file. `actual_base` is the address of `.stapsdt.base`, when the
// file has that section.
static bool ReadProbe(const ElfFile& file, std::string_view descriptor,
                      std::optional<uint64_t> actual_base, UsdtProbe* probe,
                      std::string* error) {
  constexpr size_t kAddressesSize = 3 * sizeof(uint64_t);
  if (descriptor.size() < kAddressesSize ||
      !ReadDescriptorText(descriptor.substr(kAddressesSize), probe)) {
    *error = "a `.note.stapsdt` note of " + Quoted(file.path()) +
             " is malformed: its descriptor is not three addresses followed by "
             "provider, name and arguments, each ending in a NUL byte";
    return false;
  }
  std::memcpy(&probe->pc, descriptor.data(), sizeof(uint64_t));
  std::memcpy(&probe->base, descriptor.data() + 8, sizeof(uint64_t));
  std::memcpy(&probe->semaphore, descriptor.data() + 16, sizeof(uint64_t));
  const std::string probe_name = "USDT probe " + Quoted(probe->provider + ":" + probe->name) +
                                 " of " + Quoted(file.path());

  // NOTE: only the pc moves. Prelink moves `.probes` with the rest of the
  // file, so a prelinked file's semaphore may need the same shift; no test
  // covers a prelinked file.
  if (actual_base && probe->base != 0) probe->pc += *actual_base - probe->base;

  std::optional<uint64_t> file_offset = file.FileOffsetOf(probe->pc);
  if (!file_offset) {
    *error = probe_name + " is at " + fmt::format("{:#x}", probe->pc) +
             ", outside every loadable segment of the file";
    return false;
  }
  probe->file_offset = *file_offset;

  if (probe->semaphore != 0) {
    std::optional<uint64_t> semaphore_offset = file.FileOffsetOf(probe->semaphore);
    if (!semaphore_offset) {
      *error = probe_name + " has its semaphore at " +
               fmt::format("{:#x}", probe->semaphore) +
               ", outside every loadable segment of the file";
      return false;
    }
    probe->semaphore_file_offset = *semaphore_offset;
  }

  probe->arguments = ParseUsdtArguments(probe->arguments_text);
  return true;
}

// Walks the notes of `.note.stapsdt`. Each note is a 12-byte header
// (namesz, descsz, type), then the owner name, then the descriptor. The
// descriptor and the next note start at offsets that are multiples of the
// section's alignment, which is 4 bytes for these notes unless sh_addralign
// is 8. Notes of other owners or types are skipped.
static bool ReadNotes(const ElfFile& file, const ElfSection& section,
                      std::vector<UsdtProbe>* probes, std::string* error) {
  std::string bytes;
  if (!file.ReadSection(section, &bytes, error)) return false;
  uint64_t alignment = section.header.sh_addralign == 8 ? 8 : 4;
  std::optional<uint64_t> actual_base;
  if (const ElfSection* base = file.FindSection(".stapsdt.base")) {
    actual_base = base->header.sh_addr;
  }

  uint64_t offset = 0;
  while (offset < bytes.size()) {
    Elf64_Nhdr header;
    uint64_t name_start = offset + sizeof(header);
    if (name_start > bytes.size()) {
      *error = "section `.note.stapsdt` of " + Quoted(file.path()) +
               " is malformed: it ends inside a note header at offset " +
               std::to_string(offset);
      return false;
    }
    std::memcpy(&header, bytes.data() + offset, sizeof(header));
    uint64_t descriptor_start = AlignUp(name_start + header.n_namesz, alignment);
    if (descriptor_start + header.n_descsz > bytes.size()) {
      *error = "section `.note.stapsdt` of " + Quoted(file.path()) +
               " is malformed: the note at offset " + std::to_string(offset) +
               " ends past the end of the section";
      return false;
    }

    std::string_view owner(bytes.data() + name_start, header.n_namesz);
    if (header.n_type == kStapsdtNoteType &&
        owner == std::string_view(kStapsdtOwner, sizeof(kStapsdtOwner))) {
      UsdtProbe probe;
      std::string_view descriptor(bytes.data() + descriptor_start, header.n_descsz);
      if (!ReadProbe(file, descriptor, actual_base, &probe, error)) return false;
      probes->push_back(std::move(probe));
    }
    offset = descriptor_start + AlignUp(header.n_descsz, alignment);
  }
  return true;
}

bool ReadUsdtProbes(const std::string& path, UsdtProbeTable* out, std::string* error) {
  std::unique_ptr<ElfFile> file = ElfFile::Open(path, error);
  if (!file) return false;
  *out = UsdtProbeTable{};
  out->path = path;

  const ElfSection* notes = file->FindSection(".note.stapsdt");
  if (notes == nullptr) return true;
  if (notes->header.sh_type != SHT_NOTE) {
    *error = "section `.note.stapsdt` of " + Quoted(path) + " is malformed: it is not "
             "a note section (SHT_NOTE)";
    return false;
  }
  // TODO: parse the argument syntax of other machines, such as AArch64's
  // `-4@x0` and `8@[sp, 16]`, with their own pt_regs layouts.
  if (file->machine() != EM_X86_64) {
    *error = "reading the USDT probes of " + Quoted(path) + " is not supported yet: " +
             "it is built for ELF machine " + std::to_string(file->machine()) +
             ", and only x86-64 probe arguments are parsed";
    return false;
  }

  if (!ReadNotes(*file, *notes, &out->probes, error)) return false;
  std::sort(out->probes.begin(), out->probes.end(),
            [](const UsdtProbe& a, const UsdtProbe& b) {
              return std::tie(a.provider, a.name, a.pc) < std::tie(b.provider, b.name, b.pc);
            });
  return true;
}

bool FindUsdtProbe(const UsdtProbeTable& table, std::string_view provider,
                   std::string_view name, std::vector<UsdtProbe>* sites,
                   std::string* error) {
  sites->clear();
  for (const UsdtProbe& probe : table.probes) {
    if (probe.provider == provider && probe.name == name) sites->push_back(probe);
  }
  if (!sites->empty()) return true;

  if (table.probes.empty()) {
    *error = Quoted(table.path) + " has no USDT probes: it has no `.note.stapsdt` notes";
    return false;
  }
  *error = "USDT probe " + Quoted(std::string(provider) + ":" + std::string(name)) +
           " not found in " + Quoted(table.path);
  return false;
}

bool MatchUsdtProbes(const UsdtProbeTable& table, std::string_view provider_pattern,
                     std::string_view name_pattern, size_t max_sites,
                     std::vector<UsdtProbe>* sites, std::string* error) {
  sites->clear();
  for (const UsdtProbe& probe : table.probes) {
    if (GlobMatch(provider_pattern, probe.provider) && GlobMatch(name_pattern, probe.name))
      sites->push_back(probe);
  }
  const std::string pattern =
      Quoted(std::string(provider_pattern) + ":" + std::string(name_pattern));
  if (sites->empty()) {
    *error = "no USDT probe in " + Quoted(table.path) + " matches " + pattern;
    return false;
  }
  if (sites->size() > max_sites) {
    *error = pattern + " matches " + std::to_string(sites->size()) +
             " USDT probe sites in " + Quoted(table.path) + ", more than the limit of " +
             std::to_string(max_sites) + "; write a narrower pattern";
    sites->clear();
    return false;
  }
  return true;
}

}  // namespace nubpf::compiler
