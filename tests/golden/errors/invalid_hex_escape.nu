# A hex escape needs exactly two hex digits.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {s: "\x4g"}
}
