# `else` alone on a line starts nothing.
probe tracepoint:syscalls:sys_exit_read {|e|
    else { count }
}
