use nubpf *
# topio: processes by bytes read and written, a table printed every
# interval. Run it as `nubpf-run topio.bpf.o --interval 1s --reset`.
probe tracepoint:syscalls:sys_exit_read {|e|
    if $e.ret > 0 { $e.ret * 1b | stats --by {pid: $e.pid, comm: $e.comm} --as reads }
}

probe tracepoint:syscalls:sys_exit_write {|e|
    if $e.ret > 0 { $e.ret * 1b | math sum --by {pid: $e.pid, comm: $e.comm} --as written }
}
