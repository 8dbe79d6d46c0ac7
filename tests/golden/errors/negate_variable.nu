# Nushell reads `-$x` as a string, so a probe does not negate it.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {n: (-$e.ret)}
}
