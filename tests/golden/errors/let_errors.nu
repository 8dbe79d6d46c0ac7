# Variable names in `let` are written without `$` and take `=`.
probe tracepoint:syscalls:sys_exit_read {|e|
    let $x = 1
    let y 1
    let = 1
    let a-b = 1
}
