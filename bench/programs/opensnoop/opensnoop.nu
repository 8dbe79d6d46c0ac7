use nubpf *
# One record per openat(2) call: the caller's pid and name, and the path.
probe tracepoint:syscalls:sys_enter_openat {|e|
    emit {pid: $e.pid, comm: $e.comm, file: $e.filename}
}
