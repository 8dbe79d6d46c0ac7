# Each kprobe on a function that BTF does not have reads /proc/kallsyms,
# which read every line through a stream of its own and took seconds for a
# few such probes. The compile fuzzer found it.
bpf_probe kernel:function("vfs_rea`") {|event| emit({pid: $event.pid}) }
probe kprobe:nubpf_no_such_function_1 {|e| count }
probe kprobe:nubpf_no_such_function_2 {|e| count }
probe kretprobe:nubpf_no_such_function_3 {|e| count }
