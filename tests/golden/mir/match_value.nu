# `match` as a value: a chain of tests, and a hidden local joined after it.
probe tracepoint:syscalls:sys_exit_read {|e|
    let size = match $e.ret {
        0 => "empty",
        1..<4096 => "small",
        -4 | -11 => "retry",
        $n if $n < 0 => "failed",
        _ => "large",
    }
    emit {size: $size}
}
