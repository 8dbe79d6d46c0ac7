use nubpf *
# readsize: the sizes of successful reads, a power-of-two histogram for
# each process name, printed at exit.
probe tracepoint:syscalls:sys_exit_read {|e|
    if $e.ret > 0 {
        $e.ret * 1b | histogram --by $e.comm --as read_bytes
    }
}
