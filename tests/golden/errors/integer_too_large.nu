# An integer literal that does not fit in 64 bits.
probe tracepoint:syscalls:sys_exit_read {|e|
    if $e.ret > 18446744073709551616 { count }
}
