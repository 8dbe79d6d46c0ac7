# `bpf_probe kernel:function("f")` becomes a `kernel:function:f` target: fentry
# on f, or the kprobe on f. Either way, f must be a kernel function.
bpf_probe kernel:function("do_sys_opennat2") {|e| count() }
