# A fraction that is not a whole number of nanoseconds or bytes.
probe tracepoint:syscalls:sys_exit_read {|e|
    let a = 1.5ns
    let b = 0.3b
}
