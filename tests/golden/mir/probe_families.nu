use nubpf *
# Where each probe family reads its arguments: u64 slots of the context for
# raw tracepoints, tp_btf and fentry/fexit, pt_regs registers for kprobes
# and uprobes. BTF integer types narrow the slot, as `count` (size_t) and
# `id` (long) show.
probe raw_tracepoint:sys_enter {|e| emit {nr: $e.arg1} }
probe tp_btf:sys_enter {|e| emit {nr: $e.id} }
probe fentry:vfs_read {|e| emit {bytes: $e.count, file: $e.file} }
probe fexit:vfs_read {|e| emit {bytes: $e.count, ret: $e.retval} }
probe kprobe:vfs_read {|e| emit {bytes: $e.count, second: $e.arg1} }
probe kretprobe:vfs_read {|e| emit {ret: $e.retval} }
probe uprobe:/bin/bash:readline {|e| emit {prompt: $e.arg0} }
probe uretprobe:/bin/bash:readline {|e| emit {line: $e.retval} }
probe profile:hz:99 {|e| count }
probe interval:ms:250 {|e| count }
probe begin {|| count }
probe end {|| count }
bpf_probe kernel:function("vfs_write") {|e| emit {bytes: $e.count} }
