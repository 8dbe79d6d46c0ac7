use nubpf *
# failed_opens: openat(2) calls that failed, with the error, and how often
# each process failed.
probe tracepoint:syscalls:sys_exit_openat {|e|
    if $e.ret < 0 {
        emit {pid: $e.pid, comm: $e.comm, errno: (0 - $e.ret)}
        $e.comm | count
    }
}
