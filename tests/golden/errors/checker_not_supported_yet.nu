# The checker reports the new statements it cannot compile yet.
probe tracepoint:syscalls:sys_exit_read {|e|
    for i in 0..3 { }
    while true { break }
    loop { continue }
    let z = [1 2]
    let s = $"($e.ret)"
    let w = $e.ret ** 2
    let n = null
    return
}
