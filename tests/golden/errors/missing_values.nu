# Places that need a value.
probe tracepoint:syscalls:sys_exit_read {|e|
    let x =
    let y = - 1
    emit ()
    $e.ret | $e.pid
    count | }
