# The checker reports the new statements it cannot compile yet.
probe tracepoint:syscalls:sys_exit_read {|e|
    match $e.ret { _ => 1 }
    let y = if true { 1 } else { 2 }
    let z = [1 2]
    let s = $"($e.ret)"
    let w = $e.ret ** 2
    let n = null
}
