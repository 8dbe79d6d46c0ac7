use nubpf *
# The sizes of successful read(2) calls, in power-of-two buckets.
probe tracepoint:syscalls:sys_exit_read {|e|
    if $e.ret > 0 { $e.ret | histogram }
}
