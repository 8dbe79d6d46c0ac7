# Floats are valid Nushell, but BPF programs have no floating point.
probe tracepoint:syscalls:sys_exit_read {|e|
    let a = 1.5
    let b = 2e3
    let c = 4.
}
