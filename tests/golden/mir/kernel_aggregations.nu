# Every aggregation kind, keyless, keyed by a scalar and by a record, with
# units, shared `--as` names, derived names that collide, and an optional
# value whose null skips the update.
probe tracepoint:syscalls:sys_exit_read {|e|
    count
    $e.comm | count
    $e.ret | math sum --by {comm: $e.comm, pid: $e.pid}
    $e.ret | math avg --as reads
    $e.ret | math min --by $e.comm --max-entries 64
    ($e.ret * 1ms) | math max --by $e.pid --lru
    ($e.ret * 1kb) | stats
    $e.ret | histogram
    $e.ret | histogram --linear 0 1000 100 --by $e.comm
    for x in [1 2] { count }
}

probe tracepoint:syscalls:sys_enter_openat {|e|
    count
    ($e.flags | into int) | math avg --as reads
}

probe tracepoint:syscalls:sys_exit_read {|e|
    $e.task.mm?.total_vm | math sum
}
