# A newline ends an expression outside parentheses.
probe tracepoint:syscalls:sys_exit_read {|e|
    let x = $e.ret +
        1
}
