# The checker reports the new statements it cannot compile yet.
probe tracepoint:syscalls:sys_exit_read {|e|
    for i in 0..3 { }
    while true { break }
    loop { continue }
    match $e.ret { _ => 1 }
    let y = if true { 1 } else { 2 }
    let s = $"($e.ret)"
    return
}
