// getppid(2) calls, counted with no key in a per-CPU array.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} calls SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int count_getppid(void *ctx) {
  __u32 zero = 0;
  __u64 *count = bpf_map_lookup_elem(&calls, &zero);
  if (count)
    *count += 1;
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
