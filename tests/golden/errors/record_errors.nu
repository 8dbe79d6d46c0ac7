# Record keys are unique and followed by `:`.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {a: 1, a: 2}
    emit {a 1}
    emit {a: 1, : 2}
}
