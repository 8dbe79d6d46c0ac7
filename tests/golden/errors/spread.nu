# Spreading with `...` is not supported yet.
probe tracepoint:syscalls:sys_exit_read {|e|
    let l = [...$x]
    emit ...$x
    emit {...$r}
}
