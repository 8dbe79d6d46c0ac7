# Ranges need a start, no spaces, and an end after `..<`.
probe tracepoint:syscalls:sys_exit_read {|e|
    let a = ..5
    let b = 1 ..5
    let c = 1..<
    let d = 1..<3..5
}
