# Integer literals with a prefix and no digits, or a digit outside the base.
probe tracepoint:syscalls:sys_exit_read {|e|
    let a = 0x
    let b = 0b102
}
