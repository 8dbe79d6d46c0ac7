# A probe whose closing `}` is missing.
probe tracepoint:syscalls:sys_exit_read {|e|
    count
