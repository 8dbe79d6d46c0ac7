use nubpf *
# opensnoop: every file opened with openat(2), with who opened it.
#
#   nubpfc samples/opensnoop.nu -o opensnoop.bpf.o
#   nubpf-run opensnoop.bpf.o
probe tracepoint:syscalls:sys_enter_openat {|e|
    emit {pid: $e.pid, comm: $e.comm, file: $e.filename}
}
