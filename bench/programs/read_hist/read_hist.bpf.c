// The sizes of successful read(2) calls, in power-of-two buckets: bucket k
// counts sizes in [2^k, 2^(k+1)).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 64);
  __type(key, __u32);
  __type(value, __u64);
} bytes SEC(".maps");

// Returns floor(log2(v)) for v > 0, by halving the search range.
static __always_inline __u32 log2_floor(__u64 v) {
  __u32 shift, result = 0;
  shift = (v > 0xffffffffULL) << 5; v >>= shift; result |= shift;
  shift = (v > 0xffff) << 4; v >>= shift; result |= shift;
  shift = (v > 0xff) << 3; v >>= shift; result |= shift;
  shift = (v > 0xf) << 2; v >>= shift; result |= shift;
  shift = (v > 0x3) << 1; v >>= shift; result |= shift;
  return result | (__u32)(v >> 1);
}

SEC("tracepoint/syscalls/sys_exit_read")
int hist_read_bytes(struct trace_event_raw_sys_exit *ctx) {
  long ret = ctx->ret;
  if (ret <= 0)
    return 0;

  __u32 bucket = log2_floor(ret);
  __u64 *count = bpf_map_lookup_elem(&bytes, &bucket);
  if (count)
    *count += 1;
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
