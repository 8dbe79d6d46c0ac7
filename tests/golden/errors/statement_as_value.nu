# Statements such as `for` cannot be values.
probe tracepoint:syscalls:sys_exit_read {|e|
    let x = (for i in 1..2 { })
    let y = mut
}
