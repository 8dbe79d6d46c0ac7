# Only a `mut` variable can be assigned.
probe tracepoint:syscalls:sys_exit_read {|e|
    let total = 0
    $total += $e.ret
}
