# Read hoisting: `$e.pid` and `$e.ret` are read once, in the entry block,
# except in the loop, where each iteration reads again.
probe tracepoint:syscalls:sys_exit_read {|e|
    if $e.ret > 0 { emit {pid: $e.pid, ret: $e.ret} } else { emit {pid: $e.pid} }
    mut hits = 0
    for x in 0..<4 { if $x == $e.pid { $hits += 1 } }
    emit {hits: $hits}
}
