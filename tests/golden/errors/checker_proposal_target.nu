# `bpf_probe kernel:function("f")` becomes a `kernel:function:f` target: the kprobe on f.
bpf_probe kernel:function("do_sys_openat2") {|e| count() }
