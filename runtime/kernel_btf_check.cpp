#include "runtime/kernel_btf_check.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <fmt/core.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

#include "runtime/section_family.h"

namespace nubpf::runtime {
namespace {

// Offsets in struct btf_ext_header (linux/btf.h has no user-space copy):
// u16 magic, u8 version, u8 flags, u32 hdr_len, then the offset and
// length of func_info, line_info and core_relo, all u32.
constexpr size_t kHeaderLengthOffset = 4;
constexpr size_t kCoreRelocationLengthOffset = 28;

uint32_t ReadU32(const unsigned char* bytes) {
  uint32_t value;
  std::memcpy(&value, bytes, sizeof(value));
  return value;
}

// Returns the CO-RE relocation bytes that a `.BTF.ext` section announces;
// a header too short to have them (older LLVM) announces none.
uint32_t CoreRelocationLength(const Elf_Data* data) {
  if (data == nullptr || data->d_size < kHeaderLengthOffset + 4) return 0;
  const auto* bytes = static_cast<const unsigned char*>(data->d_buf);
  uint32_t header_length = ReadU32(bytes + kHeaderLengthOffset);
  if (header_length < kCoreRelocationLengthOffset + 4 ||
      data->d_size < kCoreRelocationLengthOffset + 4) {
    return 0;
  }
  return ReadU32(bytes + kCoreRelocationLengthOffset);
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) {
    text += text.empty() ? "" : ", ";
    text += "`" + name + "`";
  }
  return text;
}

bool PathExists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

// Returns the text of an errno or of one of libbpf's own error codes
// (4000 and up, such as LIBBPF_ERRNO__FORMAT for a file that is not BTF),
// which strerror() shows as "Unknown error 4001".
std::string LibbpfErrorText(int error_number) {
  char text[128];
  if (libbpf_strerror(error_number, text, sizeof(text)) != 0) return std::strerror(error_number);
  return text;
}

}  // namespace

bool HasCoreRelocations(std::string_view object_bytes) {
  elf_version(EV_CURRENT);
  // libelf reads the bytes in place and does not write them.
  Elf* elf = elf_memory(const_cast<char*>(object_bytes.data()), object_bytes.size());
  size_t names_index = 0;
  bool found = false;
  if (elf != nullptr && elf_getshdrstrndx(elf, &names_index) == 0) {
    for (Elf_Scn* section = elf_nextscn(elf, nullptr); section != nullptr;
         section = elf_nextscn(elf, section)) {
      GElf_Shdr header;
      if (gelf_getshdr(section, &header) == nullptr) continue;
      const char* name = elf_strptr(elf, names_index, header.sh_name);
      if (name == nullptr || std::string_view(name) != ".BTF.ext") continue;
      found = CoreRelocationLength(elf_getdata(section, nullptr)) > 0;
      break;
    }
  }
  elf_end(elf);
  return found;
}

std::optional<Error> CheckKernelBtf(const std::string& object_path, const KernelBtfNeeds& needs,
                                    const std::string& vmlinux_path,
                                    const std::string& custom_btf_path) {
  if (!custom_btf_path.empty()) {
    // libbpf 1.x returns null and sets errno on failure.
    struct btf* custom = btf__parse(custom_btf_path.c_str(), /*btf_ext=*/nullptr);
    int error_number = errno;
    btf__free(custom);
    if (custom == nullptr) {
      Error error;
      error.exit_code = ExitCode::kUsage;
      error.message =
          PathExists(custom_btf_path)
              ? fmt::format("--btf `{}` is not a BTF file: {}", custom_btf_path,
                            LibbpfErrorText(error_number))
              : fmt::format("--btf `{}` not found", custom_btf_path);
      error.help =
          "give the BTF of this kernel: a raw BTF file such as a copy of "
          "/sys/kernel/btf/vmlinux, or a vmlinux ELF file with a .BTF section";
      return error;
    }
  }

  if (PathExists(vmlinux_path)) return std::nullopt;

  if (!needs.btf_id_programs.empty()) {
    Error error;
    error.message = fmt::format(
        "`{}` has tp_btf, fentry or fexit programs ({}), which need this kernel's "
        "BTF, but {} does not exist",
        object_path, JoinNames(needs.btf_id_programs), vmlinux_path);
    error.help =
        "these probes need a kernel built with CONFIG_DEBUG_INFO_BTF, even with "
        "--btf, because the kernel checks them against its own BTF ids; probe "
        "tracepoints (`tracepoint:CATEGORY:NAME`) instead on this kernel";
    return error;
  }
  if (needs.core_relocations && custom_btf_path.empty()) {
    Error error;
    error.message = fmt::format(
        "`{}` reads kernel structs through CO-RE relocations, which need this "
        "kernel's BTF, but {} does not exist",
        object_path, vmlinux_path);
    error.help =
        "the kernel was built without CONFIG_DEBUG_INFO_BTF; give the BTF of this "
        "kernel with `--btf FILE` (BTF files of many distribution kernels are "
        "published, such as in BTFHub)";
    return error;
  }
  return std::nullopt;
}

std::optional<Error> CheckKernelBtfStep(LoadState& state) {
  KernelBtfNeeds needs;
  bpf_program* program;
  bpf_object__for_each_program(program, state.object) {
    if (!bpf_program__autoload(program)) continue;
    // Without kernel BTF the kernel refuses such a program, and its
    // fallback, a kprobe, loads in its place.
    const ProgramInfo* info = state.metadata.FindProgram(bpf_program__name(program));
    if (info != nullptr && !info->fallback.empty()) continue;
    switch (ParseSectionFamily(bpf_program__section_name(program))) {
      case SectionFamily::kTpBtf:
      case SectionFamily::kFentry:
      case SectionFamily::kFexit:
        needs.btf_id_programs.emplace_back(bpf_program__name(program));
        break;
      case SectionFamily::kTracepoint:
      case SectionFamily::kRawTracepoint:
      case SectionFamily::kKprobe:
      case SectionFamily::kKretprobe:
      case SectionFamily::kUprobe:
      case SectionFamily::kUretprobe:
      case SectionFamily::kPerfEvent:
      case SectionFamily::kOther:
        break;
    }
  }
  needs.core_relocations = HasCoreRelocations(state.source.bytes);
  return CheckKernelBtf(state.path, needs, kVmlinuxBtfPath, state.options.btf_path);
}

}  // namespace nubpf::runtime
