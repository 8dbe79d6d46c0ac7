# A probe target must be followed by a closure.
probe tracepoint:syscalls:sys_exit_read count
