use nubpf *
# syscount: system calls counted per process name, and per process name and
# system call number, printed at exit, largest first. The numbers are the
# architecture's (`ausyscall --dump` names them; on x86-64, 0 is read and
# 1 is write).
#
#   nubpfc samples/syscount.nu -o syscount.bpf.o
#   nubpf-run syscount.bpf.o --duration 10sec
probe tracepoint:raw_syscalls:sys_enter {|e|
    $e.comm | count
    count --by {comm: $e.comm, id: $e.id}
}
