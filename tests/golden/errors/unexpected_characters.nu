# Characters that start no token are reported once per run.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit @@@ {a: 1}
}
