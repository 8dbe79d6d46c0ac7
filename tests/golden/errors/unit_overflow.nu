# Durations and file sizes must fit in a 64-bit signed integer.
probe tracepoint:syscalls:sys_exit_read {|e|
    let a = 300000wk
    let b = 8eib
}
