# An expression in an interpolated string without its `)`.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {s: $"pid=($e.pid"}
}
