# A raw string whose closing `'#` is missing.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {s: r#'abc'}
}
