use nubpf *
# readsize: the sizes of successful reads, a power-of-two histogram for
# each process name, printed at exit.
#
#   nubpfc samples/readsize.nu -o readsize.bpf.o
#   nubpf-run readsize.bpf.o --duration 10sec
probe tracepoint:syscalls:sys_exit_read {|e|
    if $e.ret > 0 {
        $e.ret | into filesize | histogram --by $e.comm --as read_bytes
    }
}
