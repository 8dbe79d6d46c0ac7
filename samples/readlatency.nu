use nubpf *
# readlatency: how long read(2) takes, a power-of-two histogram for each
# process name, printed at exit. The timer starts when a thread enters
# read and stops when it returns. A read that began before nubpf-run
# attached has no start, so stop-timer gives null and the histogram skips it.
#
#   nubpfc samples/readlatency.nu -o readlatency.bpf.o
#   nubpf-run readlatency.bpf.o --duration 10sec
probe tracepoint:syscalls:sys_enter_read {|e|
    start-timer --key $e.tid
}

probe tracepoint:syscalls:sys_exit_read {|e|
    stop-timer --key $e.tid | histogram --by $e.comm --as read_latency
}
