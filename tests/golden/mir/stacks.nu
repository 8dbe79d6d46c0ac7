# Stacks: each use reads its stack where it is, into an event field or a
# counter key. The passes move no stack read, in the loop or out of it.
probe tracepoint:syscalls:sys_exit_read {|e|
    let kernel = $e.kstack
    emit {pid: $e.pid, kernel: $kernel, user: $e.ustack}
    for x in 0..<2 { $e.ustack | count }
    if $e.ret < 0 { $kernel | count }
}
