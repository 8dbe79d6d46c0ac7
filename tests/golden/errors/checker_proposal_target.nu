# `bpf_probe kernel:function("f")` becomes a `kernel:function:f` target, which the checker maps.
bpf_probe kernel:function("do_sys_openat2") {|e| count() }
