# `not` negates only the value after it, which draws a warning.
probe tracepoint:syscalls:sys_exit_read {|e|
    if not $e.ret == 1 { count }
}
