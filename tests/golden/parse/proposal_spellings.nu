# The original proposal's `bpf_probe`, `bpf_tracepoint` and call forms, next to the Nushell ones.
bpf_probe kernel:function("do_sys_openat2") {|event|
    send($event.pid)
    count()
}
bpf_probe kernel:function('vfs_read') {|event| emit({pid: $event.pid}) }
bpf_tracepoint syscalls:sys_enter_openat {|event|
    send($event.pid,$event.filename,)
    $event.comm | count()
}
probe tracepoint:syscalls:sys_enter_read {|e| count }
