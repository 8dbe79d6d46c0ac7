# A variable whose value had an error is still bound, so its reads add no
# "unknown variable" errors.
probe tracepoint:syscalls:sys_exit_read {|e|
    let size = $e.rett
    mut pair = {a: 1}
    $pair = 3
    emit {size: $size, pair: $pair}
}
