# A parenthesized expression without its `)`.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit ($e.ret + 1
}
