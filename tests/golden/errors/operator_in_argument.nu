# Command arguments, record values and list elements are one value each.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit $e.ret + 1
    emit {a: $e.ret * 2}
    let l = [$e.ret - 1]
}
