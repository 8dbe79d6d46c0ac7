// Reads the CO-RE relocation records of a BPF object's .BTF.ext section, so
// that a check can list every relocation, including those libbpf never
// reaches.
#pragma once

#include <linux/bpf.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nubpf::testing {

// One `struct bpf_core_relo` of .BTF.ext with the program it belongs to.
struct CoreRecord {
  // ELF section of the instruction, such as "kprobe/do_nanosleep".
  std::string section;
  // Function symbol that contains the instruction: a program or subprogram,
  // named as libbpf names programs in its log.
  std::string program;
  // Position among the records of `section`; libbpf's log calls it "relo #N".
  size_t index = 0;
  // Instruction index counted from the start of `program`.
  size_t instruction = 0;
  bpf_core_relo_kind kind = BPF_CORE_FIELD_BYTE_OFFSET;
  // Root type in the object's BTF and the raw access string ("0:2").
  uint32_t type_id = 0;
  std::string access;
  // The access with type and field names, "struct task_struct.real_parent".
  std::string spec;
};

// Returns the records of `object_path` in .BTF.ext order. An object without
// .BTF.ext or without CO-RE records has none. On a file that is not a
// little-endian BPF ELF object, or a malformed .BTF.ext, returns no records
// and sets `error` to what is wrong.
std::vector<CoreRecord> ReadCoreRecords(const std::string& object_path,
                                        std::string* error);

// Returns libbpf's short name of `kind` ("byte_off", "field_exists",
// "local_type_id", ...), as its CO-RE log lines print it.
std::string CoreKindName(bpf_core_relo_kind kind);

}  // namespace nubpf::testing
