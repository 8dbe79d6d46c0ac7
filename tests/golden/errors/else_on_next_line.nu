# `else` must follow the `}` on the same line.
probe tracepoint:syscalls:sys_exit_read {|e|
    if $e.ret > 0 {
        count
    }
    else { count }
}
