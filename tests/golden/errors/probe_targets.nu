use nubpf *
# Targets of each family that cannot be resolved.
probe profile:hz {|e| count }
probe interval:min:1 {|e| count }
probe begin:now {|| count }
probe raw_tracepoint:sched_swich {|e| count }
probe tp_btf:sched:sched_switch {|e| count }
probe fentry:vfs_raed {|e| count }
probe kprobe:nubpf_no_such_function {|e| count }
probe uprobe:/nonexistent/program:main {|e| count }
probe uprobe:/bin/bash {|e| count }
probe tracepoint:syscalls:sys_enter_nubpf* {|e| count }
probe usdt:/bin/bash:provider:name {|e| count }
probe kprobes:vfs_read {|e| count }
probe fentry:vfs_read {|e| emit {n: $e.nbytes} }
probe uprobe:/bin/bash:readlin {|e| count }
probe uretprobe:/bin/bash:readline+4 {|e| count }
probe profile:hz:0 {|e| count }
