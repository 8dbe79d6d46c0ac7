# The checker reports the new statements it cannot compile yet.
probe tracepoint:syscalls:sys_exit_read {|e|
    for i in 0..3 { }
    while true { break }
    loop { continue }
    let s = $"($e.ret)"
    return
}
