# A literal 0 divisor is an error, because a probe cannot raise one.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {n: ($e.ret mod 0)}
}
