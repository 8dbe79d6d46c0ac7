# A unicode escape outside the Unicode range.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {s: "\u{110000}"}
}
