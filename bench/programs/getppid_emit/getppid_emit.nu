use nubpf *
# One record per getppid(2) call: the caller's pid and name, and the time.
probe tracepoint:syscalls:sys_enter_getppid {|e|
    emit {pid: $e.pid, comm: $e.comm, ts: $e.ts}
}
