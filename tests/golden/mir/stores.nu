# A keyed store, a timer and a global. `store get` and `stop-timer` give an
# optional value: a lookup, then a branch that loads the value where the key
# exists. `+=` on a global is an atomic add.
mut reads = 0
probe tracepoint:syscalls:sys_enter_openat {|e|
    start-timer --key $e.tid
    $e.flags | store set last_flags --key {pid: $e.pid, comm: $e.comm}
}
probe tracepoint:syscalls:sys_exit_read {|e|
    let took = stop-timer --key $e.tid
    if $took != null { emit {took: $took} }
    let flags = store get last_flags --key {pid: $e.pid, comm: $e.comm} | default (-1)
    store delete last_flags --key {pid: $e.pid, comm: $e.comm}
    $reads += 1
    emit {flags: $flags, reads: $reads}
}
