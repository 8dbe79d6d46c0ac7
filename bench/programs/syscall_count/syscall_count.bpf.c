// System calls counted per system call number in a per-CPU hash map.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

// vmlinux.h has no errno macros.
#define EEXIST 17

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
  __uint(max_entries, 10240);
  __type(key, __s64);
  __type(value, __u64);
} calls SEC(".maps");

SEC("tracepoint/raw_syscalls/sys_enter")
int count_syscalls(struct trace_event_raw_sys_enter *ctx) {
  __s64 id = ctx->id;
  // Look the key up, and on a miss insert a zero and look it up again, so
  // that a key that another CPU inserts first is counted too.
  __u64 *count = bpf_map_lookup_elem(&calls, &id);
  if (!count) {
    __u64 zero = 0;
    long err = bpf_map_update_elem(&calls, &id, &zero, BPF_NOEXIST);
    if (err != 0 && err != -EEXIST)
      return 0;
    count = bpf_map_lookup_elem(&calls, &id);
    if (!count)
      return 0;
  }
  *count += 1;
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
