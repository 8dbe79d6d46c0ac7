use nubpf *
# topio: bytes read and written per process, as tables printed every
# interval, largest first. With --reset each table covers one interval.
#
#   nubpfc samples/topio.nu -o topio.bpf.o
#   nubpf-run topio.bpf.o --interval 1s --reset
probe tracepoint:syscalls:sys_exit_read {|e|
    if $e.ret > 0 {
        $e.ret | into filesize | stats --by {pid: $e.pid, comm: $e.comm} --as reads
    }
}

probe tracepoint:syscalls:sys_exit_write {|e|
    if $e.ret > 0 {
        $e.ret | into filesize | math sum --by {pid: $e.pid, comm: $e.comm} --as written
    }
}
