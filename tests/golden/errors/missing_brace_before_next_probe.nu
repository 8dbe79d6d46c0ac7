# An unclosed block ends where the next probe starts.
probe tracepoint:syscalls:sys_exit_read {|e|
    if $e.ret > 0 { count
}
probe tracepoint:syscalls:sys_enter_openat {|e| count }
