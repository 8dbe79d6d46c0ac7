# A `$` without a variable name after it.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit $ x
}
