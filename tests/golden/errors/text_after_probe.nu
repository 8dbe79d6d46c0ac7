# A probe must end its line.
probe tracepoint:syscalls:sys_exit_read {|e| count } count
