# An interpolated string without its closing quote.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {s: $"pid=($e.pid)}
}
