// One record per getppid(2) call through a ring buffer: the caller's pid
// and name, and the time. Records that find the ring buffer full are
// counted in `lost`.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "records.h"

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, __u64);
} lost SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int emit_getppid(void *ctx) {
  struct getppid_record *record = bpf_ringbuf_reserve(&events, sizeof(*record), 0);
  if (!record) {
    __u32 zero = 0;
    __u64 *count = bpf_map_lookup_elem(&lost, &zero);
    if (count)
      *count += 1;
    return 0;
  }

  record->kind = RECORD_GETPPID;
  record->pid = bpf_get_current_pid_tgid() >> 32;
  record->ts = bpf_ktime_get_ns();
  bpf_get_current_comm(record->comm, sizeof(record->comm));
  bpf_ringbuf_submit(record, 0);
  return 0;
}

char LICENSE[] SEC("license") = "GPL";
