use nubpf *
# readlatency: how long read(2) takes, per process name. The timer starts
# when a thread enters read and stops when it returns; a read that began
# before nubpf-run attached has no start and is skipped.
probe tracepoint:syscalls:sys_enter_read {|e|
    start-timer --key $e.tid
}

probe tracepoint:syscalls:sys_exit_read {|e|
    stop-timer --key $e.tid | histogram --by $e.comm --as read_latency
}
