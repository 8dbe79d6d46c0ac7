# A record without its closing `}` at the end of the file.
probe tracepoint:syscalls:sys_exit_read {|e|
    emit {a: 1
