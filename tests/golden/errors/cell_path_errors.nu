# A cell path has no spaces and needs a member after `.`.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit $e. pid
    emit $e.+
}
