# `if` as a statement with `else if` chains, and as a value.
probe tracepoint:syscalls:sys_exit_read {|e|
    if $e.ret > 0 {
        count
    } else if $e.ret == 0 {
        emit {zero: true}
    } else {
        $e.comm | count
    }
    let sign = if $e.ret < 0 { -1 } else if $e.ret == 0 { 0 } else { 1 }
    emit {big: (if $e.ret > 4096 { true } else { false })}
    if true { }
}
