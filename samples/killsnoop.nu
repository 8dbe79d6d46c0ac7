use nubpf *
# killsnoop: kill(2) calls, with the sender, the target pid, the signal
# and the result (0, or a negative errno such as -3 for ESRCH). The entry
# stores the target and the signal under the thread id, and the exit sends
# them with the result. The tracepoint's own `pid` field is the target, so
# the sender's pid comes from its task.
#
#   nubpfc samples/killsnoop.nu -o killsnoop.bpf.o
#   nubpf-run killsnoop.bpf.o
probe tracepoint:syscalls:sys_enter_kill {|e|
    $e.pid | store set kill_target --key $e.tid
    $e.sig | store set kill_signal --key $e.tid
}

probe tracepoint:syscalls:sys_exit_kill {|e|
    let target = store get kill_target --key $e.tid
    let signal = store get kill_signal --key $e.tid
    store delete kill_target --key $e.tid
    store delete kill_signal --key $e.tid
    if $target != null and $signal != null {
        emit {pid: $e.task.tgid, comm: $e.comm, target: $target, signal: $signal, result: $e.ret}
    }
}
