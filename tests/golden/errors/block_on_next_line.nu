# A block must start on the line of its `if`.
probe tracepoint:syscalls:sys_exit_read {|e|
    if $e.ret > 0
    { count }
}
