// getppid(2) calls, counted per process name in a per-CPU hash map.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

// vmlinux.h has no errno macros.
#define EEXIST 17

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
  __uint(max_entries, 10240);
  __type(key, char[16]);
  __type(value, __u64);
} calls SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int count_getppid_by_comm(void *ctx) {
  // Zeroed first, because the key is all 16 bytes: kernels whose
  // bpf_get_current_comm predates the change "bpf: ensure all memory is
  // initialized in bpf_get_current_comm" (April 2023) leave the bytes
  // after the NUL as they were, which would split one name into many keys.
  char comm[16] = {};
  bpf_get_current_comm(comm, sizeof(comm));

  // Look the key up, and on a miss insert a zero and look it up again, so
  // that a key that another CPU inserts first is counted too.
  __u64 *count = bpf_map_lookup_elem(&calls, comm);
  if (!count) {
    __u64 zero = 0;
    long err = bpf_map_update_elem(&calls, comm, &zero, BPF_NOEXIST);
    if (err != 0 && err != -EEXIST)
      return 0;
    count = bpf_map_lookup_elem(&calls, comm);
    if (!count)
      return 0;
  }
  *count += 1;
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
