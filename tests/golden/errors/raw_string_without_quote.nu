# `r#` must be followed by a quote.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {s: r#abc}
}
