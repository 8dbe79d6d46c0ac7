# `for` takes a variable without `$`, then `in`.
probe tracepoint:syscalls:sys_exit_read {|e|
    for $x in 1..3 { }
    for x 1..3 { }
    for x in 1..3 + 1 { }
}
