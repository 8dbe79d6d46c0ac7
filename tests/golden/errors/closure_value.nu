# Closures as values are valid Nushell, but a probe cannot call them later.
probe tracepoint:syscalls:sys_exit_read {|e|
    let f = {|x| $x + 1}
    let g = {|| 1}
}
